// tg.data: datasets, samplers, the DataLoader and file readers (torch.utils.data + torchvision's MNIST).
export { Dataset, type DatasetLike } from "./dataset.js";
export { TensorDataset } from "./tensor-dataset.js";
export { Subset, randomSplit, type RandomSplitOptions } from "./subset.js";
export { SequentialSampler, RandomSampler, type Sampler, type RandomSamplerOptions } from "./sampler.js";
export { defaultCollate } from "./collate.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { readIdx, type ReadIdxOptions } from "./idx.js";
export { MNIST, FashionMNIST, type MNISTOptions } from "./mnist.js";
export { readCsv, type ReadCsvOptions } from "./csv.js";
