/**
 * The ELF loader's public face: read and validate a program (readElfImage), then build the
 * process image in an AddressSpace (loadElf). Failures are LoaderErrors with a one-line message.
 */
export { readElfImage, type ElfImage, type LoadSegment } from './elf-image';
export { loadElf, type LoadOptions, type LoadedProgram } from './load-elf';
export { LoaderError } from './loader-error';
export { ARM_LOADER_TARGET, LOADER_TARGETS, type LoaderTarget } from './targets';
export { targetOfElfHeader } from './elf-target';
export { AuxType, type AuxEntry, type AuxvInputs } from './auxv';
export { elfBrand, type ElfBrand } from './brand';
