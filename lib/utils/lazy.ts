// Optional libraries (progress bars, charts, Graphviz) load here on first use, never at
// `import "tensorgrad"`: ESM ones with import(), CommonJS ones that must load synchronously
// (a progress bar starts inside a for-of) with require(). A missing package becomes an Error
// that says what to install.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function missing(pkg: string, feature: string, e: unknown): Error {
  const code = (e as { code?: string }).code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
    return new Error(`${feature} needs the npm package "${pkg}", which is not installed: npm install ${pkg}`);
  return e as Error;
}

/** import() of an optional ESM package. @throws Error naming the package when it is missing. */
export async function lazyImport<T>(pkg: string, feature: string): Promise<T> {
  try {
    return (await import(pkg)) as T;
  } catch (e) {
    throw missing(pkg, feature, e);
  }
}

/** require() of an optional CommonJS package. @throws Error naming the package when it is missing. */
export function lazyRequire<T>(pkg: string, feature: string): T {
  try {
    return require(pkg) as T;
  } catch (e) {
    throw missing(pkg, feature, e);
  }
}
