/**
 * Real, unmodified Debian programs, dynamically linked, run from a sysroot made at test time from
 * Debian's .deb files for one target architecture (libc6 and each program's packages, fetched once
 * by scripts/fetch-deb.sh into .cache/debs/<arch>/sysroot). One suite for every target; each
 * test/e2e/debian-sysroot-<arch>.test.ts file calls it with its target, so vitest runs the
 * architectures in parallel.
 *
 * Oracles: programs that start no guest programs (sqlite3, perl, coreutils with some rarer corners,
 * gzip, xz with two threads, gawk, openssl, Lua 5.4, bc -l, python3 whose subprocess runs /bin/sh,
 * binutils' objdump, and two that generate machine code at run time: grep -P with PCRE2's JIT and
 * LuaJIT) run under qemu-<arch> with the same -L; so do both ends of a netcat connection over
 * loopback, each pair under one emulator. Bash scripts that fork and exec guest programs, re-execute
 * bash through /proc/self/exe and run a `#!/bin/sh` script, and GNU make -j2, compare with the host's own bash
 * and make (the same Debian release), because qemu-user without binfmt_misc hands a guest binary to
 * the host kernel, which refuses it. /proc/self/exe itself is checked against what the
 * native kernel names: the canonical path of the executable.
 *
 * Big-endian ppc64 is not among the targets: Debian ships it only in debian-ports, which the apt
 * sources reachable from here do not include (deb.debian.org refuses /debian-ports by policy).
 */
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDebianPackageInto } from './debian';
import { runProcess, startProcess, type RunResult } from './run-process';
import { REPO_ROOT } from './targets';

export interface SysrootTarget {
  /** Debian architecture (arm64, armhf, armel, ppc64el). */
  readonly debArch: string;
  /** The tsemu launcher under test (bin/<emulator>). */
  readonly emulator: string;
  /** The QEMU user-mode oracle. */
  readonly qemu: string;
  /** Whether Debian ships LuaJIT for the architecture (LuaJIT has no 64-bit PowerPC port). */
  readonly luajit: boolean;
  /** The GNU triplet (aarch64-linux-gnu): names binutils' package and programs and the library directory. */
  readonly triplet: string;
}

/** The sysroot's packages: the programs and the libraries they load. */
const PACKAGES = [
  'libc6', 'libtinfo6', 'bash', 'dash', 'coreutils', 'libacl1', 'libattr1', 'libgmp10', 'libselinux1',
  'libpcre2-8-0', 'gzip', 'sqlite3', 'libsqlite3-0', 'libreadline8', 'zlib1g', 'perl-base', 'libcrypt1',
  // python3.11 and what the scripts' modules load: _hashlib (libssl3), _sqlite3, pyexpat, _ctypes.
  'python3.11-minimal', 'libpython3.11-minimal', 'libpython3.11-stdlib', 'libssl3', 'libexpat1', 'libffi8',
  'libbz2-1.0', 'liblzma5', 'libuuid1', 'libncursesw6', 'libgcc-s1',
  // grep -P compiles its pattern to machine code with PCRE2's JIT.
  'grep', 'libpcre2-8-0',
  // xz, gawk, openssl (armel's libssl3 needs libatomic1) and GNU make (its -j loop waits in pselect
  // with SIGCHLD unblocked only there).
  'xz-utils', 'gawk', 'libmpfr6', 'libsigsegv2', 'openssl', 'libatomic1', 'make',
  // Lua 5.4 (its interpreter is linked with liblua) and bc's math library.
  'lua5.4', 'bc',
  // binutils' libraries (the programs are binutils-<triplet>) and OpenBSD's netcat.
  'libbinutils', 'libctf0', 'libctf-nobfd0', 'libzstd1', 'netcat-openbsd', 'libbsd0', 'libmd0',
];
const LUAJIT_PACKAGES = ['luajit', 'libluajit-5.1-2'];

const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };
/**
 * Bounds for one program and one case. The cases of a target run concurrently, and python3 alone
 * costs tsemu 15-30 s of CPU (start-up translates tens of thousands of blocks), so a loaded
 * machine needs minutes.
 */
const RUN_MS = 540_000;
const CASE_MS = 600_000;

/** python3 with json, hashlib, sqlite3, subprocess and threading (issue 11's script), then re, zlib, struct and decimal. */
const PYTHON_SCRIPT = `
import hashlib, json, sqlite3, subprocess, threading
data = {'name': 'tsemu', 'values': [3, 1, 2], 'nested': {'ok': True, 'pi': 3.25}}
text = json.dumps(data, sort_keys=True)
print(text, json.loads(text)['nested'])
print(hashlib.sha256(text.encode()).hexdigest(), hashlib.md5(b'abc').hexdigest())
print(hashlib.sha1(b'abc').hexdigest())
db = sqlite3.connect(':memory:')
db.execute('create table t(k text, v integer)')
db.executemany('insert into t values (?, ?)', [('a', 1), ('b', 2), ('c', 3)])
print(db.execute('select group_concat(k), sum(v) from t where v > 1').fetchone())
out = subprocess.run(['/bin/sh', '-c', 'echo "from sh $0"; exit 3', 'arg'], capture_output=True, text=True)
print(repr(out.stdout), out.returncode)
total = 0
lock = threading.Lock()
def work(n):
    global total
    for i in range(2000):
        with lock:
            total += n
threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 5)]
for t in threads: t.start()
for t in threads: t.join()
print('threads', total, threading.active_count())
import re, zlib, struct, decimal
rx = re.compile(r'(?P<w>[a-z]+)(\\d+)(?=\\s|$)', re.I)
words = ' '.join(f'word{i} Alpha{i * i} beta{i % 7}' for i in range(300))
print(len(rx.findall(words)), rx.sub(lambda m: m.group('w').upper(), words)[:60], re.split(r'[\\s,;]+', 'a, b;c  d'))
packed = zlib.compress(words.encode() * 20, 9)
print(len(packed), zlib.crc32(packed), zlib.adler32(zlib.decompress(packed)), struct.pack('<qdI', -5, 2.5, 7).hex())
decimal.getcontext().prec = 40
print(decimal.Decimal(2).sqrt(), format(1234567.891, ',.2f'), float.fromhex('0x1.8p-1074'), (1.1).hex())
`;

/**
 * LuaJIT with its trace compiler on: hot loops become traces of generated machine code, which the
 * emulator translates like any other code (trace 1 exists afterwards). The last line is the CPU
 * features LuaJIT detected from the auxiliary vector.
 */
const LUA_SCRIPT = `
local util = require('jit.util')
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t = {}
for i = 1, 100000 do t[i] = (i * 7919) % 1000003 end
table.sort(t)
local s = 0
for i = 1, #t, 997 do s = s + t[i] end
local parts = {}
for i = 1, 2000 do parts[#parts + 1] = string.format('%x', i * i) end
local str = table.concat(parts)
print(fib(25), s, #str, str:sub(1, 40), string.format('%.9f', math.sin(1.25) * math.sqrt(2)))
print('jit', (jit.status()), jit.arch, util.traceinfo(1) ~= nil)
print(select(2, jit.status()))
`;

/** Lua 5.4: coroutines, string.pack/unpack, %q and %a, integer and float arithmetic, utf8, pcall. */
const LUA54_SCRIPT = `
local co = coroutine.wrap(function(a) local s = 0; for i = 1, a do s = s + coroutine.yield(i) end; return s end)
local v = co(5); for i = 1, 5 do v = co(i * 10) end; print("co", v)
local p = string.pack("<i4>I8zs2d", -7, 2^40, "nul", "len", 3.25)
print(#p, (p:gsub(".", function(c) return string.format("%02x", c:byte()) end)))
print(string.unpack("<i4>I8zs2d", p))
print(string.format("%q %a %.17g", "a\\0b\\n", 0.1, 1/3), math.tointeger(2^53), 7 // 2, -7 % 3, 1 << 62)
local t = {} for w in ("the quick brown fox jumps"):gmatch("%a+") do t[#t+1] = w:upper() end
table.sort(t, function(a, b) return #a < #b or (#a == #b and a < b) end); print(table.concat(t, ","))
print(utf8.char(72, 228, 8364, 128512), utf8.len("h\\u{e4}ll\\u{20ac}"), select("#", table.unpack({1, nil, 3}, 1, 3)))
print(pcall(error, {code = 42}), select(2, pcall(error, "msg", 0)))
print(os.time({year = 2020, month = 2, day = 29, hour = 12}), os.date("!%Y-%m-%d %H:%M:%S", 1e9))
`;

/** bc -l: the math library's functions at 40 digits, a recursive function, output and input bases. */
const BC_PROGRAM = `scale=40; 4*a(1); e(1); l(10); s(1)+c(1); sqrt(2); 2^200
define f(n) { if (n<2) return n; return f(n-1)+f(n-2) }
f(20); obase=16; 255*255; ibase=16; FF
quit
`;

/** Lines for grep -P: 20,000 of them, so that PCRE2 runs its JIT-compiled matcher many times. */
function logLines(): string {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  const lines: string[] = [];
  for (let i = 0, x = 1; i < 20_000; i++) {
    const line: string[] = [];
    for (let w = 0; w < 6; w++) {
      x = (x * 48_271) % 2_147_483_647;
      line.push(`${words[x % words.length]}${x % 1000}`);
    }
    lines.push(line.join(' '));
  }
  return lines.join('\n') + '\n';
}
const GREP_PATTERN = String.raw`(?:(\w)\1|eta\d{2}\b).*\bzeta(?!9)\d+`;

/** gawk: fields, regex substitution, gensub, arrays walked in sorted order, printf and strftime. */
const GAWK_PROGRAM = String.raw`
{ for (i = 1; i <= NF; i++) { w = $i; sub(/[0-9]+$/, "", w); n[w]++; sum[w] += substr($i, length(w) + 1) } }
END {
  PROCINFO["sorted_in"] = "@ind_str_asc"
  for (w in n) printf "%-8s %5d %9.3f %s\n", w, n[w], sum[w] / n[w], toupper(substr(w, 1, 2))
  print strftime("%Y-%m-%d %H:%M", 86400 * 365, 1), sprintf("%c%.2e|%x", 65, 12345.678, 255), gensub(/(a)(b)/, "\\2\\1", "g", "abab")
}`;

/**
 * GNU make -j2: four targets built two at a time by /bin/sh (the sysroot's dash), then one that
 * needs them all; make blocks SIGCHLD except inside the pselect that waits for a job token.
 */
const MAKEFILE = [
  'OBJS := $(patsubst %,o%.txt,1 2 3 4)',
  'all: result.txt',
  'o%.txt:',
  '\t@echo "obj $*" > $@',
  'result.txt: $(OBJS)',
  '\t@cat $^ | sort -r > $@; echo "built $@ from $(words $^)"',
  '\t@echo $(shell echo from-shell) $(foreach x,a b,[$(x)]) $(subst o,0,$(OBJS))',
  '',
].join('\n');

/** A `#!/bin/sh` script: the interpreter comes from the guest sysroot under tsemu -L. */
const SH_SCRIPT = '#!/bin/sh\necho "sh script: $1 $(( $2 * 7 ))"\n';

/** Bash with pipelines, subshells, background jobs, a #! script and a re-exec through /proc/self/exe. */
const BASH_SCRIPT = [
  'sort words.txt | uniq -c | sort -k1,1nr -k2 | head -n 2',
  'n=$(wc -l < words.txt); echo "lines $n"',
  '(cd / && pwd); echo "back in $(basename "$PWD" | cut -c1-13)"',
  'ls -l words.txt | cut -d" " -f1,5',
  'echo data | gzip -c | gzip -dc | tr a-z A-Z',
  'for f in a b; do echo "$f" & done; wait',
  'false || echo "status $?"',
  './script.sh six 6',
  '(exec /proc/self/exe -c \'echo "re-executed with $1"\' bash again)',
].join('\n');

/** Programs that start no guest programs: tsemu -L vs qemu -L. */
const SINGLE: { title: string; program: string; args: string[] }[] = [
  {
    title: 'sqlite3: create, insert, query',
    program: '/usr/bin/sqlite3',
    args: [':memory:', "create table t(a, b); insert into t values (1, 'x'), (2, 'y'), (3, 'z'); select b, a * 10 from t where a > 1 order by a desc; select count(*), sum(a), group_concat(b) from t;"],
  },
  {
    title: 'perl: hashes, sort, sprintf',
    program: '/usr/bin/perl',
    args: ['-e', 'my %h; $h{$_}++ for split //, "hello world"; print join(",", map { "$_=$h{$_}" } sort keys %h), "\\n"; printf("%.6f\\n", atan2(1, 1) * 4);'],
  },
  { title: 'coreutils sort', program: '/usr/bin/sort', args: ['-r', 'words.txt'] },
  { title: 'coreutils sha256sum', program: '/usr/bin/sha256sum', args: ['words.txt'] },
  { title: 'coreutils date', program: '/bin/date', args: ['-u', '-d', '@86400', '+%F %T %A'] },
  {
    title: 'coreutils ls -l',
    program: '/bin/ls',
    args: ['-l', '--time-style=long-iso', 'words.txt', 'script.sh'],
  },
  { title: 'gzip -9 -n', program: '/bin/gzip', args: ['-9', '-c', '-n', 'words.txt'] },
  // coreutils' rarer corners: sort spilling to temporary files, split's chunks, od, stat -c, a date
  // in a POSIX TZ rule across a DST change, numfmt, factor's 128-bit numbers, BLAKE2b.
  { title: 'coreutils sort -S 64K with temporary files', program: '/usr/bin/sort', args: ['-S', '64K', '-T', '.', '-n', 'nums.txt'] },
  { title: 'coreutils split -n l/2/3 (one chunk)', program: '/usr/bin/split', args: ['-n', 'l/2/3', 'nums.txt'] },
  { title: 'coreutils od with several types', program: '/usr/bin/od', args: ['-A', 'x', '-t', 'x1z', '-t', 'd2', '-t', 'f8', '-N', '64', 'nums.txt'] },
  { title: 'coreutils stat -c', program: '/usr/bin/stat', args: ['-c', '%n %s %F %a %h', 'words.txt', 'script.sh'] },
  {
    title: 'coreutils date -d in a POSIX TZ rule',
    program: '/bin/date',
    args: ['-d', 'TZ="EST5EDT,M3.2.0,M11.1.0" 2024-03-10 01:59:59 +1 sec', '+%F %T %s %j %U %V'],
  },
  { title: 'coreutils numfmt', program: '/usr/bin/numfmt', args: ['--from=auto', '--to=iec-i', '--suffix=B', '--format=%.3f', '123456789', '1023', '1048576', '10G', '1.5Ki'] },
  { title: 'coreutils factor (128-bit)', program: '/usr/bin/factor', args: ['18446744073709551557', '340282366920938463463374607431768211455'] },
  { title: 'coreutils cksum -a blake2b', program: '/usr/bin/cksum', args: ['-a', 'blake2b', '-l', '256', 'words.txt', 'nums.txt'] },
  {
    title: 'python3: json, hashlib, sqlite3, subprocess, threading, re, zlib, struct, decimal',
    program: '/usr/bin/python3.11',
    args: ['script.py'],
  },
  { title: 'xz -T2 (two compressing threads)', program: '/usr/bin/xz', args: ['-T2', '--block-size=16KiB', '-6', '-c', 'small.txt'] },
  { title: 'gawk: regexes, gensub, sorted arrays, printf', program: '/usr/bin/gawk', args: [GAWK_PROGRAM, 'small.txt'] },
  {
    title: 'openssl enc: AES-256-CBC with PBKDF2, base64',
    program: '/usr/bin/openssl',
    args: ['enc', '-aes-256-cbc', '-pbkdf2', '-iter', '1000', '-S', '0011223344556677', '-k', 'secret', '-a', '-in', 'small.txt'],
  },
  { title: 'lua5.4: coroutines, string.pack, utf8', program: '/usr/bin/lua5.4', args: ['script54.lua'] },
  { title: 'bc -l: math library, recursion, bases', program: '/usr/bin/bc', args: ['-l', 'program.bc'] },
  { title: 'grep -P (PCRE2 JIT): count', program: '/bin/grep', args: ['-cP', GREP_PATTERN, 'log.txt'] },
  { title: 'grep -P (PCRE2 JIT): matches', program: '/bin/grep', args: ['-m', '20', '-noP', GREP_PATTERN, 'log.txt'] },
];
const LUAJIT_CASE = { title: 'LuaJIT: traces compiled and run', program: '/usr/bin/luajit', args: ['script.lua'] };

/**
 * binutils' objdump of the target's triplet on one of the sysroot's small libraries (headers, then the
 * disassembly), the library named by its host path: qemu-arm 7.2 applies -L to stat but not to statx,
 * which 32-bit glibc's stat calls.
 */
function objdumpCase(triplet: string, sysroot: string): { title: string; program: string; args: string[] } {
  const library = path.join(sysroot, 'usr/lib', triplet, 'libmd.so.0');
  return { title: 'binutils objdump -x -d', program: `/usr/bin/${triplet}-objdump`, args: ['-x', '-d', '--no-show-raw-insn', library] };
}

/** What netcat's ends print that depends on the ports the kernel chose. */
const maskPorts = (s: string): string => s.replace(/ \d+$/gm, ' PORT');

/** Registers the whole suite for one target. */
export function debianSysrootSuite(target: SysrootTarget): void {
  const sysroot = path.join(REPO_ROOT, '.cache', 'debs', target.debArch, 'sysroot');
  const tsemu = path.join(REPO_ROOT, 'bin', target.emulator);
  let work = '';

  const run = (command: string, args: string[]): Promise<RunResult> =>
    runProcess(command, { args, cwd: work, env: ENV, timeoutMs: RUN_MS });

  beforeAll(async () => {
    for (const pkg of [...PACKAGES, `binutils-${target.triplet}`, ...(target.luajit ? LUAJIT_PACKAGES : [])]) {
      await fetchDebianPackageInto(target.debArch, pkg, sysroot);
    }
    work = mkdtempSync(path.join(os.tmpdir(), `tsemu-sysroot-${target.debArch}-`));
    writeFileSync(path.join(work, 'words.txt'), 'pear\napple\nfig\napple\nkiwi\n');
    writeFileSync(path.join(work, 'script.py'), PYTHON_SCRIPT);
    writeFileSync(path.join(work, 'script.lua'), LUA_SCRIPT);
    writeFileSync(path.join(work, 'script54.lua'), LUA54_SCRIPT);
    writeFileSync(path.join(work, 'program.bc'), BC_PROGRAM);
    writeFileSync(path.join(work, 'log.txt'), logLines());
    writeFileSync(path.join(work, 'small.txt'), logLines().split('\n').slice(0, 2000).join('\n') + '\n');
    writeFileSync(path.join(work, 'nums.txt'), Array.from({ length: 20_000 }, (_, i) => `${(i * 7919) % 20_011}`).join('\n') + '\n');
    writeFileSync(path.join(work, 'script.sh'), SH_SCRIPT);
    chmodSync(path.join(work, 'script.sh'), 0o755);
    for (const file of ['words.txt', 'script.sh']) utimesSync(path.join(work, file), 86400, 86400);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const { debArch, emulator } = target;
  describe.concurrent(`Debian ${debArch} programs from a .deb sysroot: ${emulator} -L vs ${target.qemu} -L`, () => {
    for (const c of [...SINGLE, objdumpCase(target.triplet, sysroot), ...(target.luajit ? [LUAJIT_CASE] : [])]) {
      it(c.title, async () => {
        const guest = path.join(sysroot, c.program);
        const [ours, qemu] = await Promise.all([
          run(tsemu, ['-L', sysroot, guest, ...c.args]),
          run(target.qemu, ['-L', sysroot, guest, ...c.args]),
        ]);
        expect(qemu.status).toBe(0);
        expect(ours.stdout).toBe(qemu.stdout);
        expect(ours.stderr).toBe(qemu.stderr);
        expect(ours.status).toBe(qemu.status);
      }, CASE_MS);
    }

    it('netcat over loopback: both ends under the emulator, data both ways, half-closed with -N', async () => {
      const nc = path.join(sysroot, 'bin/nc.openbsd');
      const fromServer = readFileSync(path.join(work, 'small.txt'));
      const fromClient = readFileSync(path.join(work, 'nums.txt'));
      const connection = async (emulator: string) => {
        const options = { cwd: work, env: ENV, timeoutMs: RUN_MS };
        const serverArgs = ['-L', sysroot, nc, '-v', '-N', '-l', '127.0.0.1', '0'];
        const server = startProcess(emulator, { ...options, args: serverArgs, input: fromServer });
        const [, port] = await server.stderrMatch(/^Listening on \S+ (\d+)$/m);
        const client = await runProcess(emulator, { ...options, args: ['-L', sysroot, nc, '-N', '127.0.0.1', port], input: fromClient });
        return { client, server: await server.result };
      };
      const [ours, qemu] = await Promise.all([connection(tsemu), connection(target.qemu)]);
      expect(qemu.server.status).toBe(0);
      expect(qemu.server.stdout).toBe(fromClient.toString('latin1'));
      expect(qemu.client.stdout).toBe(fromServer.toString('latin1'));
      for (const end of ['server', 'client'] as const) {
        expect(ours[end].stdout).toBe(qemu[end].stdout);
        expect(maskPorts(ours[end].stderr)).toBe(maskPorts(qemu[end].stderr));
        expect(ours[end].status).toBe(qemu[end].status);
      }
    }, CASE_MS);
  });

  describe.concurrent(`Debian ${debArch} processes: ${emulator} -L vs the native kernel`, () => {
    const title = 'bash -c: pipelines, subshells, background jobs, a #!/bin/sh script, re-exec through /proc/self/exe';
    it(title, async () => {
      const [ours, host] = await Promise.all([
        run(tsemu, ['-L', sysroot, path.join(sysroot, 'bin/bash'), '-c', BASH_SCRIPT]),
        run('/bin/bash', ['-c', BASH_SCRIPT]),
      ]);
      expect(host.status).toBe(0);
      // Background jobs may finish in either order; everything else is in order.
      const normalise = (s: string) => s.replace(/^(a|b)\n(a|b)\n/m, 'a|b\na|b\n');
      expect(normalise(ours.stdout)).toBe(normalise(host.stdout));
      expect(ours.stderr).toBe(host.stderr);
      expect(ours.status).toBe(host.status);
    }, CASE_MS);

    it('make -j2: jobs run two at a time, SIGCHLD taken inside pselect', async () => {
      const make = async (command: string, args: string[]) => {
        const dir = mkdtempSync(path.join(work, 'make-'));
        writeFileSync(path.join(dir, 'Makefile'), MAKEFILE);
        const result = await runProcess(command, { args: [...args, '-j2'], cwd: dir, env: ENV, timeoutMs: RUN_MS });
        return { ...result, built: readFileSync(path.join(dir, 'result.txt'), 'utf8') };
      };
      const [ours, host] = await Promise.all([
        make(tsemu, ['-L', sysroot, path.join(sysroot, 'usr/bin/make')]),
        make('/usr/bin/make', []),
      ]);
      expect(host.status).toBe(0);
      expect(ours.stdout).toBe(host.stdout);
      expect(ours.stderr).toBe(host.stderr);
      expect(ours.status).toBe(host.status);
      expect(ours.built).toBe(host.built);
    }, CASE_MS);

    it('/proc/self/exe names the guest executable by its canonical path', async () => {
      const guest = path.join(sysroot, 'bin/readlink');
      const ours = await run(tsemu, ['-L', sysroot, guest, '/proc/self/exe']);
      expect(ours.stderr).toBe('');
      expect(ours.stdout).toBe(`${realpathSync(guest)}\n`);
      expect(ours.status).toBe(0);
    }, CASE_MS);
  });
}
