// Generated from the op definitions by test/ops/registry.test.ts (UPDATE_OP_TABLES=1 npx vitest run
// test/ops/registry.test.ts); do not edit. The types of the methods define.ts attaches to Tensor.prototype.
import type { MethodOf } from "./define.js";
import type * as copy from "./copy.js";
import type * as elementwise from "./elementwise.js";
import type * as indexing from "./indexing.js";
import type * as linalg from "./linalg.js";
import type * as reduce from "./reduce.js";
import type * as softmax from "./softmax.js";
import type * as views from "./views.js";

declare module "../tensor.js" {
  interface Tensor {
    abs: MethodOf<typeof elementwise.abs>;
    add: MethodOf<typeof elementwise.add>;
    argmax: MethodOf<typeof reduce.argmax>;
    argmin: MethodOf<typeof reduce.argmin>;
    clamp: MethodOf<typeof elementwise.clamp>;
    clone: MethodOf<typeof copy.clone>;
    contiguous: MethodOf<typeof copy.contiguous>;
    copy_: MethodOf<typeof copy.copy_>;
    div: MethodOf<typeof elementwise.div>;
    double: MethodOf<typeof copy.double>;
    elu: MethodOf<typeof elementwise.elu>;
    eq: MethodOf<typeof elementwise.eq>;
    exp: MethodOf<typeof elementwise.exp>;
    expand: MethodOf<typeof views.expand>;
    expandAs: MethodOf<typeof views.expandAs>;
    fill_: MethodOf<typeof copy.fill_>;
    flatten: MethodOf<typeof views.flatten>;
    float: MethodOf<typeof copy.float>;
    gather: MethodOf<typeof indexing.gather>;
    ge: MethodOf<typeof elementwise.ge>;
    gelu: MethodOf<typeof elementwise.gelu>;
    gt: MethodOf<typeof elementwise.gt>;
    indexSelect: MethodOf<typeof indexing.indexSelect>;
    int: MethodOf<typeof copy.int>;
    le: MethodOf<typeof elementwise.le>;
    leakyRelu: MethodOf<typeof elementwise.leakyRelu>;
    log: MethodOf<typeof elementwise.log>;
    logSoftmax: MethodOf<typeof softmax.logSoftmax>;
    lt: MethodOf<typeof elementwise.lt>;
    matmul: MethodOf<typeof linalg.matmul>;
    max: MethodOf<typeof reduce.max>;
    maximum: MethodOf<typeof elementwise.maximum>;
    mean: MethodOf<typeof reduce.mean>;
    min: MethodOf<typeof reduce.min>;
    minimum: MethodOf<typeof elementwise.minimum>;
    mul: MethodOf<typeof elementwise.mul>;
    narrow: MethodOf<typeof views.narrow>;
    ne: MethodOf<typeof elementwise.ne>;
    neg: MethodOf<typeof elementwise.neg>;
    permute: MethodOf<typeof views.permute>;
    pow: MethodOf<typeof elementwise.pow>;
    relu: MethodOf<typeof elementwise.relu>;
    reshape: MethodOf<typeof views.reshape>;
    select: MethodOf<typeof views.select>;
    sigmoid: MethodOf<typeof elementwise.sigmoid>;
    sign: MethodOf<typeof elementwise.sign>;
    slice: MethodOf<typeof views.slice>;
    softmax: MethodOf<typeof softmax.softmax>;
    sqrt: MethodOf<typeof elementwise.sqrt>;
    square: MethodOf<typeof elementwise.square>;
    squeeze: MethodOf<typeof views.squeeze>;
    sub: MethodOf<typeof elementwise.sub>;
    sum: MethodOf<typeof reduce.sum>;
    t: MethodOf<typeof views.t>;
    tanh: MethodOf<typeof elementwise.tanh>;
    to: MethodOf<typeof copy.to>;
    transpose: MethodOf<typeof views.transpose>;
    unsqueeze: MethodOf<typeof views.unsqueeze>;
    view: MethodOf<typeof views.view>;
    zero_: MethodOf<typeof copy.zero_>;
  }
}
