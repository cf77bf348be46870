// tg.io: checkpoint files (safetensors) and atomic writes.
export { save, load, loadMetadata, type SaveOptions } from "./checkpoint.js";
export { writeFileAtomic } from "./atomic-write.js";
