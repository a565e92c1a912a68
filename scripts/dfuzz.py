#!/usr/bin/env python3
"""Differential fuzzer of the frontends against QEMU (docs/fuzzing.md).

Mutates instructions that the original program actually executes (the addresses qemu-<arch>
-d in_asm,nochain logs), one to three per mutant: half of them get 1-4 flipped bits (encodings
near real ones), half a random encoding of the same length. Each mutant runs under qemu-<arch>
and bin/tsemu-<arch> with TSEMU_CACHE=off; a difference in exit status or signal or stdout, or a
Node stack trace / "internal error" from tsemu, is printed with the mutated words, and the mutant
is kept for a look.

  scripts/dfuzz.py PROGRAM TSEMU QEMU COUNT SEED [OUT_DIR]
"""
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

INSN = re.compile(r'^0x([0-9a-f]+):\s+([0-9a-f]+)\s', re.M)


def load_segments(image):
    """(vaddr, file offset, size) of the executable PT_LOAD segments of an ELF image."""
    cls, data = image[4], image[5]
    end = '<' if data == 1 else '>'
    if cls == 2:
        phoff, = struct.unpack_from(end + 'Q', image, 32)
        phentsize, phnum = struct.unpack_from(end + 'HH', image, 54)
        fields = lambda at: struct.unpack_from(end + 'IIQQQQ', image, at)
        pick = lambda p: (p[0], p[1], p[3], p[2], p[5])
    else:
        phoff, = struct.unpack_from(end + 'I', image, 28)
        phentsize, phnum = struct.unpack_from(end + 'HH', image, 42)
        fields = lambda at: struct.unpack_from(end + 'IIIIIII', image, at)
        pick = lambda p: (p[0], p[6], p[2], p[1], p[4])
    segs = []
    for k in range(phnum):
        ptype, flags, vaddr, offset, filesz = pick(fields(phoff + k * phentsize))
        if ptype == 1 and flags & 1:
            segs.append((vaddr, offset, filesz))
    return segs


def executed(program, qemu, image):
    """[(file offset, length)] of the instructions the original program executes."""
    with tempfile.NamedTemporaryFile(suffix='.log') as log:
        subprocess.run([qemu, '-d', 'in_asm,nochain', '-D', log.name, program], capture_output=True, timeout=120)
        text = open(log.name, encoding='latin1').read()
    segs = load_segments(image)
    found = {}
    for m in INSN.finditer(text):
        addr, length = int(m.group(1), 16), len(m.group(2)) // 2
        for vaddr, offset, size in segs:
            if vaddr <= addr < vaddr + size:
                found[offset + addr - vaddr] = length
    return sorted(found.items())


def run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=30, env={**os.environ, 'TSEMU_CACHE': 'off'})
        return r.returncode, r.stdout, r.stderr.decode('latin1')
    except subprocess.TimeoutExpired:
        return 'timeout', b'', ''


def mutate(image, targets, rng):
    """A mutant of image and the (offset, old hex, new hex) of each changed instruction."""
    b = bytearray(image)
    changes = []
    for _ in range(rng.randrange(1, 4)):
        offset, length = rng.choice(targets)
        old = bytes(b[offset:offset + length])
        if rng.random() < 0.5:
            for _ in range(rng.randrange(1, 5)):
                bit = rng.randrange(length * 8)
                b[offset + bit // 8] ^= 1 << (bit % 8)
        else:
            b[offset:offset + length] = bytes(rng.randrange(256) for _ in range(length))
        changes.append((offset, old.hex(), bytes(b[offset:offset + length]).hex()))
    return b, changes


def main():
    program, tsemu, qemu, count, seed = sys.argv[1:6]
    out = sys.argv[6] if len(sys.argv) > 6 else '/tmp/dfuzz'
    os.makedirs(out, exist_ok=True)
    image = open(program, 'rb').read()
    targets = executed(program, qemu, image)
    print(f'{len(targets)} executed instructions', flush=True)
    rng = random.Random(int(seed))
    bad = 0
    for i in range(int(count)):
        b, changes = mutate(image, targets, rng)
        path = os.path.join(out, f'{os.path.basename(program)}-{seed}-{i}')
        with open(path, 'wb') as f:
            f.write(b)
        os.chmod(path, 0o755)
        q, t = run([qemu, path]), run([tsemu, path])
        internal = '    at ' in t[2] or 'internal error' in t[2]
        same = q[0] == t[0] and q[1] == t[1]
        if internal or not same:
            if not (q[0] == 'timeout' and t[0] == 'timeout'):
                bad += 1
                where = ' '.join(f'{o:#x}:{old}->{new}' for o, old, new in changes)
                print('DIFF', path, 'qemu', q[0], 'tsemu', t[0], 'stdout-same', q[1] == t[1], where,
                      t[2][-300:].replace('\n', ' | '), flush=True)
                continue
        os.unlink(path)
    print('done', count, 'bad', bad, flush=True)


main()
