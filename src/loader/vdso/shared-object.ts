/**
 * Writes a vDSO image: a small ELF64 shared object linked at address 0, the way Linux builds its
 * vDSOs, so it runs wherever it is mapped. One read+execute PT_LOAD covers the whole file; the
 * dynamic section gives what glibc's setup_vdso and Go's vDSO parser read (DT_HASH, the dynamic
 * symbols, their one symbol version in DT_VERSYM/DT_VERDEF, the soname); PT_GNU_EH_FRAME points
 * at .eh_frame_hdr, through which the unwinder (dl_iterate_phdr) finds the code's CFI. Section
 * headers are there for gdb and objdump.
 */
import { DW_EH_PE_PCREL_SDATA4, buildEhFrame, type Cie, type Fde } from './dwarf-cfi';

export interface VdsoSymbol {
  name: string;
  /** Offset of the function in the text. */
  offset: number;
  size: number;
}

export interface VdsoSpec {
  littleEndian: boolean;
  /** e_machine and e_flags (ppc64: the ELF ABI version). */
  machine: number;
  flags: number;
  soname: string;
  /** The version every symbol is defined with (Linux's LINUX_2.6.15 on PowerPC). */
  version: string;
  /** Instruction words of the text, written in the image's byte order. */
  text: readonly number[];
  symbols: readonly VdsoSymbol[];
  /** CFI: the FDEs' start offsets are relative to the text. */
  cie: Cie;
  fdes: readonly Fde[];
}

export interface VdsoImage {
  readonly bytes: Uint8Array;
  /** Offset in the image of each symbol. */
  readonly symbols: ReadonlyMap<string, number>;
}

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const DYN_SIZE = 16;
const VERDEF_SIZE = 20;
const VERDAUX_SIZE = 8;

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_GNU_EH_FRAME = 0x6474e550;
const PF_X = 1;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_HASH = 5;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const DT = {
  NULL: 0,
  HASH: 4,
  STRTAB: 5,
  SYMTAB: 6,
  STRSZ: 10,
  SYMENT: 11,
  SONAME: 14,
  VERSYM: 0x6ffffff0,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
} as const;
const STB_GLOBAL = 1;
const STT_FUNC = 2;
const VER_FLG_BASE = 1;
/** Version index of the symbols' version (1 is the base, the soname). */
const SYMBOL_VERSION_INDEX = 2;
const PAGE = 4096;
const DW_EH_PE_UDATA4 = 0x03;
const DW_EH_PE_DATAREL_SDATA4 = 0x3b;

/** The System V ABI's ELF hash (of symbol and version names). */
function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name, 'latin1')) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h = (h & ~g) >>> 0;
  }
  return h;
}

/** A growing byte buffer with fields in one byte order. */
class Writer {
  private bytes: number[] = [];
  constructor(private readonly le: boolean) {}
  get size(): number {
    return this.bytes.length;
  }
  align(n: number): number {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this.bytes.length;
  }
  raw(data: readonly number[]): void {
    this.bytes.push(...data);
  }
  field(value: number, width: 1 | 2 | 4 | 8): number[] {
    const b = new Uint8Array(width);
    const view = new DataView(b.buffer);
    if (width === 1) view.setUint8(0, value);
    else if (width === 2) view.setUint16(0, value, this.le);
    else if (width === 4) view.setUint32(0, value >>> 0, this.le);
    else view.setBigInt64(0, BigInt(value), this.le);
    return [...b];
  }
  put(value: number, width: 1 | 2 | 4 | 8): void {
    this.raw(this.field(value, width));
  }
  patch(at: number, data: readonly number[]): void {
    this.bytes.splice(at, data.length, ...data);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A string table: offsets of names added once. */
class StringTable {
  readonly bytes: number[] = [0];
  private readonly offsets = new Map<string, number>();
  add(name: string): number {
    let at = this.offsets.get(name);
    if (at === undefined) {
      at = this.bytes.length;
      this.bytes.push(...Buffer.from(name, 'latin1'), 0);
      this.offsets.set(name, at);
    }
    return at;
  }
}

interface Section {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link?: number;
  info?: number;
  align: number;
  entsize?: number;
}

/** Builds the image: header, program headers, then the sections in the order readers expect. */
export function buildVdso(spec: VdsoSpec): VdsoImage {
  const w = new Writer(spec.littleEndian);
  const dynstr = new StringTable();
  const soname = dynstr.add(spec.soname);
  const version = dynstr.add(spec.version);
  const symNames = spec.symbols.map((s) => dynstr.add(s.name));
  const sections: Section[] = [];
  const section = (s: Omit<Section, 'offset' | 'size'>, write: () => void): number => {
    const offset = w.align(s.align);
    write();
    sections.push({ ...s, offset, size: w.size - offset });
    return offset;
  };
  const phnum = 3;
  w.raw(new Array(EHDR_SIZE + phnum * PHDR_SIZE).fill(0));
  const nsyms = spec.symbols.length + 1;
  // Sections 1..: .hash .dynsym .dynstr .gnu.version .gnu.version_d .text .eh_frame_hdr .eh_frame .dynamic .shstrtab
  const DYNSYM = 2;
  const DYNSTR = 3;
  const TEXT = 6;
  const hash = section({ name: '.hash', type: SHT_HASH, flags: SHF_ALLOC, link: DYNSYM, align: 8, entsize: 4 }, () => {
    // One bucket chaining every symbol: nbucket, nchain, bucket[0], chain[].
    w.put(1, 4);
    w.put(nsyms, 4);
    w.put(nsyms - 1, 4);
    for (let i = 0; i < nsyms; i++) w.put(i === 0 ? 0 : i - 1, 4);
  });
  const textOffsetPlaceholder: number[] = [];
  const dynsym = section(
    { name: '.dynsym', type: SHT_DYNSYM, flags: SHF_ALLOC, link: DYNSTR, info: 1, align: 8, entsize: SYM_SIZE },
    () => {
      w.raw(new Array(SYM_SIZE).fill(0));
      spec.symbols.forEach((s, i) => {
        w.put(symNames[i]!, 4);
        w.put((STB_GLOBAL << 4) | STT_FUNC, 1);
        w.put(0, 1);
        w.put(TEXT, 2);
        textOffsetPlaceholder.push(w.size);
        w.put(0, 8); // st_value, patched once the text's address is known
        w.put(s.size, 8);
      });
    },
  );
  const dynstrAt = section({ name: '.dynstr', type: SHT_STRTAB, flags: SHF_ALLOC, align: 1 }, () => w.raw(dynstr.bytes));
  const versym = section(
    { name: '.gnu.version', type: SHT_GNU_VERSYM, flags: SHF_ALLOC, link: DYNSYM, align: 2, entsize: 2 },
    () => {
      for (let i = 0; i < nsyms; i++) w.put(i === 0 ? 0 : SYMBOL_VERSION_INDEX, 2);
    },
  );
  const verdef = section(
    { name: '.gnu.version_d', type: SHT_GNU_VERDEF, flags: SHF_ALLOC, link: DYNSTR, info: 2, align: 4 },
    () => {
      const defs = [
        { flags: VER_FLG_BASE, index: 1, name: spec.soname, nameAt: soname },
        { flags: 0, index: SYMBOL_VERSION_INDEX, name: spec.version, nameAt: version },
      ];
      defs.forEach((d, i) => {
        w.put(1, 2); // vd_version
        w.put(d.flags, 2);
        w.put(d.index, 2);
        w.put(1, 2); // vd_cnt
        w.put(elfHash(d.name), 4);
        w.put(VERDEF_SIZE, 4); // vd_aux
        w.put(i === defs.length - 1 ? 0 : VERDEF_SIZE + VERDAUX_SIZE, 4); // vd_next
        w.put(d.nameAt, 4);
        w.put(0, 4);
      });
    },
  );
  const text = section({ name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, align: 16 }, () => {
    for (const word of spec.text) w.put(word, 4);
  });
  for (const [i, at] of textOffsetPlaceholder.entries()) w.patch(at, w.field(text + spec.symbols[i]!.offset, 8));
  const fdes = spec.fdes.map((f) => ({ ...f, start: text + f.start }));
  const word = (v: number): number[] => w.field(v, 4);
  // .eh_frame_hdr's size is known before .eh_frame is placed: 12 bytes, then 8 per FDE.
  const hdrAt = w.align(4);
  const hdrSize = 12 + 8 * fdes.length;
  const ehFrameAt = Math.ceil((hdrAt + hdrSize) / 8) * 8;
  const ehFrame = buildEhFrame(ehFrameAt, spec.cie, fdes, 8, word);
  section({ name: '.eh_frame_hdr', type: SHT_PROGBITS, flags: SHF_ALLOC, align: 4 }, () => {
    // version 1, then the encodings of eh_frame_ptr, fde_count and the search table's entries.
    w.raw([1, DW_EH_PE_PCREL_SDATA4, DW_EH_PE_UDATA4, DW_EH_PE_DATAREL_SDATA4]);
    w.raw(word(ehFrameAt - (hdrAt + 4)));
    w.raw(word(fdes.length));
    const table = fdes.map((f, i) => [f.start, ehFrame.fdeAddresses[i]!] as const).sort((a, b) => a[0] - b[0]);
    for (const [start, fde] of table) w.raw([...word(start - hdrAt), ...word(fde - hdrAt)]);
  });
  section({ name: '.eh_frame', type: SHT_PROGBITS, flags: SHF_ALLOC, align: 8 }, () => w.raw(ehFrame.bytes));
  const dynEntries: [number, number][] = [
    [DT.HASH, hash],
    [DT.STRTAB, dynstrAt],
    [DT.SYMTAB, dynsym],
    [DT.STRSZ, dynstr.bytes.length],
    [DT.SYMENT, SYM_SIZE],
    [DT.SONAME, soname],
    [DT.VERSYM, versym],
    [DT.VERDEF, verdef],
    [DT.VERDEFNUM, 2],
    [DT.NULL, 0],
  ];
  const dynamicSection = { name: '.dynamic', type: SHT_DYNAMIC, flags: SHF_ALLOC, link: DYNSTR, align: 8, entsize: DYN_SIZE };
  const dynamic = section(dynamicSection, () => {
    for (const [tag, value] of dynEntries) {
      w.put(tag, 8);
      w.put(value, 8);
    }
  });
  const loadEnd = w.size;
  const shstrtab = new StringTable();
  const names = sections.map((s) => shstrtab.add(s.name));
  const shstrName = shstrtab.add('.shstrtab');
  const shstrAt = w.size;
  w.raw(shstrtab.bytes);
  const shoff = w.align(8);
  w.raw(new Array(SHDR_SIZE).fill(0));
  const shdr = (s: Section, name: number, alloc: boolean): void => {
    w.put(name, 4);
    w.put(s.type, 4);
    w.put(s.flags, 8);
    w.put(alloc ? s.offset : 0, 8); // sh_addr: linked at 0, so the file offset
    w.put(s.offset, 8);
    w.put(s.size, 8);
    w.put(s.link ?? 0, 4);
    w.put(s.info ?? 0, 4);
    w.put(s.align, 8);
    w.put(s.entsize ?? 0, 8);
  };
  sections.forEach((s, i) => shdr(s, names[i]!, true));
  const shstrSection = { name: '.shstrtab', type: SHT_STRTAB, flags: 0, offset: shstrAt, size: shstrtab.bytes.length, align: 1 };
  shdr(shstrSection, shstrName, false);
  const fileSize = w.size;

  const ehdr = [
    0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, spec.littleEndian ? 1 : 2, 1 /* EV_CURRENT */, 0 /* ELFOSABI_NONE */,
    0, 0, 0, 0, 0, 0, 0, 0,
    ...w.field(3, 2), // ET_DYN
    ...w.field(spec.machine, 2),
    ...w.field(1, 4),
    ...w.field(0, 8), // e_entry
    ...w.field(EHDR_SIZE, 8), // e_phoff
    ...w.field(shoff, 8),
    ...w.field(spec.flags, 4),
    ...w.field(EHDR_SIZE, 2),
    ...w.field(PHDR_SIZE, 2),
    ...w.field(phnum, 2),
    ...w.field(SHDR_SIZE, 2),
    ...w.field(sections.length + 2, 2),
    ...w.field(sections.length + 1, 2), // e_shstrndx: the last section
  ];
  const phdr = (type: number, flags: number, offset: number, size: number, align: number): number[] => [
    ...w.field(type, 4),
    ...w.field(flags, 4),
    ...w.field(offset, 8),
    ...w.field(offset, 8),
    ...w.field(offset, 8),
    ...w.field(size, 8),
    ...w.field(size, 8),
    ...w.field(align, 8),
  ];
  const hdrSection = sections.find((s) => s.name === '.eh_frame_hdr')!;
  w.patch(0, [
    ...ehdr,
    ...phdr(PT_LOAD, PF_R | PF_X, 0, fileSize, PAGE),
    ...phdr(PT_DYNAMIC, PF_R, dynamic, loadEnd - dynamic, 8),
    ...phdr(PT_GNU_EH_FRAME, PF_R, hdrSection.offset, hdrSection.size, 4),
  ]);
  return {
    bytes: w.done(),
    symbols: new Map(spec.symbols.map((s) => [s.name, text + s.offset])),
  };
}
