/**
 * Types for the parts of the `elfy` package the loader uses (it ships none). Only the header and
 * program-header parsers are called: elfy's full parse also walks section headers and fails on
 * executables without them, which Linux happily runs.
 */
declare module 'elfy' {
  export interface ElfyHeader {
    class: '32' | '64';
    endian: 'lsb' | 'msb';
    /** Mislabelled by elfy: actually e_ident[EI_VERSION]. */
    osabi: string | undefined;
    type: string | undefined;
    machine: string | undefined;
    version: number;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    ehsize: number;
    phentsize: number;
    phnum: number;
    shentsize: number;
    shnum: number;
    shstrndx: number;
  }

  export interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: Record<string, true | undefined>;
    align: number;
    data: Buffer;
  }

  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
  }
}
