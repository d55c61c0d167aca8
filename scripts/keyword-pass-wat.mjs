// WebAssembly text of the keyword pass's inner loops (see src/detect/keyword-pass.ts): CHAINS
// automata walk their own segments of the input in lockstep, each step one table load; runs
// of Base64 characters are measured 16 bytes at a time with SIMD. The loop body is written out once per
// chain here rather than by hand, so the chains cannot drift apart.
//
// Memory layout (byte addresses; the JavaScript side writes the table and the input):
//   0        results: per chain, the end of its events; the open run's length
//   1024     Base64 classes by byte: −1 for a Base64 character, 0 otherwise (i8)
//   1280     Base64 6-bit values by byte (either alphabet)
//   1536     1 for a byte that may be text (printable ASCII, tab, newline, a UTF-8 lead byte)
//   1792     1 for a byte of ASCII text in UTF-16LE (0x09–0x7e)
//   TABLE    the transition table: u16 next state at (state << 9) | (byte << 1)
// Events are pairs of i32: (state, position) when the state reached accepts, in each chain's
// own area; (−1 − run start, position) when a run of at least `limit` Base64 characters ended
// just before position, in the runs' area.
export const CHAINS = 4;
export const B64 = 1024;
export const VALUES = 1280;
export const PRINTABLE = 1536;
export const UTF16 = 1792;
export const TABLE = 1 << 21;

export function keywordPassWat(chains = CHAINS) {
  const ks = [...Array(chains).keys()];
  const param = (name) => ks.map((k) => `(param $${name}${k} i32)`).join(' ');
  const local = (name) => ks.map((k) => `(local $${name}${k} i32)`).join(' ');
  const next = (k, byte) => `(local.set $e${k} (i32.load16_u offset=${TABLE} (i32.or (i32.shl (local.get $e${k}) (i32.const 9)) (i32.shl ${byte} (i32.const 1)))))`;
  const step = (k) => next(k, `(i32.load8_u (local.get $p${k}))`);
  const event = (k) => `
      (if (i32.and (local.get $e${k}) (local.get $accMask)) (then
        (i32.store (local.get $c${k}) (local.get $e${k}))
        (i32.store offset=4 (local.get $c${k}) (local.get $p${k}))
        (local.set $c${k} (i32.add (local.get $c${k}) (i32.const 8)))))`;
  const warm = (k) => `
    (block $wd${k} (loop $wl${k}
      (br_if $wd${k} (i32.ge_u (local.get $w${k}) (local.get $s${k})))
      ${next(k, `(i32.load8_u (local.get $w${k}))`)}
      (local.set $w${k} (i32.add (local.get $w${k}) (i32.const 1)))
      (br $wl${k})))`;
  const last = chains - 1;
  const any = ks.map((k) => `(local.get $e${k})`).reduce((a, b) => `(i32.or ${a} ${b})`);
  const splat = (c) => `(v128.const i8x16 ${Array(16).fill(c).join(' ')})`;
  return `(module
  (memory (export "memory") 1)
  (global (export "chains") i32 (i32.const ${chains}))
  ;; where the JavaScript side writes the tables (the loads below have these as offsets)
  (global (export "b64") i32 (i32.const ${B64}))
  (global (export "values") i32 (i32.const ${VALUES}))
  (global (export "printable") i32 (i32.const ${PRINTABLE}))
  (global (export "utf16") i32 (i32.const ${UTF16}))
  (global (export "table") i32 (i32.const ${TABLE}))
  ;; s<k>: chain k's first byte; w<k>: where its warm-up (no events) begins; q: steps all
  ;; chains take together; end: where the last chain stops, walking on alone after the others;
  ;; c<k>: chain k's event area; accMask: ~(first accepting state − 1), a power of two.
  ;; Stores, per chain k, the end of its events at address 8k.
  (func (export "walk") ${param('s')} ${param('w')} (param $q i32) (param $end i32) ${param('c')} (param $accMask i32)
    ${local('e')} ${local('p')} (local $d i32)
    ${ks.map(warm).join('')}
    ${ks.map((k) => `(local.set $p${k} (local.get $s${k}))`).join(' ')}
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $d) (local.get $q)))
      ${ks.map(step).join('\n      ')}
      (if (i32.and ${any} (local.get $accMask)) (then
        ${ks.map(event).join('')}))
      ${ks.map((k) => `(local.set $p${k} (i32.add (local.get $p${k}) (i32.const 1)))`).join(' ')}
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br $step)))
    ;; the last chain's segment may be longer: it walks on alone
    (block $tdone (loop $tail
      (br_if $tdone (i32.ge_u (local.get $p${last}) (local.get $end)))
      ${step(last)}
      ${event(last)}
      (local.set $p${last} (i32.add (local.get $p${last}) (i32.const 1)))
      (br $tail)))
    ${ks.map((k) => `(i32.store (i32.const ${k * 8}) (local.get $c${k}))`).join(' ')})

  ;; Whether a run [start, end) that began in this chunk (at or after first) could be a Base64
  ;; token of text: not 1 mod 4 long, and its first four characters decode to three bytes
  ;; that may begin text: printable (ASCII, tab, newline, a UTF-8 lead byte; table at
  ;; ${PRINTABLE}) or UTF-16LE ASCII (table at ${UTF16}), as startsLikeText in
  ;; src/decode/base64.ts. Runs carried in from the chunk before are kept (their start is not
  ;; in memory); the caller checks every run again.
  (func $candidate (param $start i32) (param $end i32) (param $first i32) (result i32)
    (local $v i32) (local $b0 i32) (local $b1 i32) (local $b2 i32)
    (if (i32.lt_s (local.get $start) (local.get $first)) (then (return (i32.const 1))))
    (if (i32.eq (i32.and (i32.sub (local.get $end) (local.get $start)) (i32.const 3)) (i32.const 1)) (then (return (i32.const 0))))
    (local.set $v (i32.or (i32.or
      (i32.shl (i32.load8_u offset=${VALUES} (i32.load8_u (local.get $start))) (i32.const 18))
      (i32.shl (i32.load8_u offset=${VALUES} (i32.load8_u offset=1 (local.get $start))) (i32.const 12)))
      (i32.or
      (i32.shl (i32.load8_u offset=${VALUES} (i32.load8_u offset=2 (local.get $start))) (i32.const 6))
      (i32.load8_u offset=${VALUES} (i32.load8_u offset=3 (local.get $start))))))
    (local.set $b0 (i32.shr_u (local.get $v) (i32.const 16)))
    (local.set $b1 (i32.and (i32.shr_u (local.get $v) (i32.const 8)) (i32.const 255)))
    (local.set $b2 (i32.and (local.get $v) (i32.const 255)))
    (i32.or
      (i32.and (i32.and (i32.load8_u offset=${PRINTABLE} (local.get $b0)) (i32.load8_u offset=${PRINTABLE} (local.get $b1))) (i32.load8_u offset=${PRINTABLE} (local.get $b2)))
      (i32.and (i32.and (i32.load8_u offset=${UTF16} (local.get $b0)) (i32.eqz (local.get $b1))) (i32.load8_u offset=${UTF16} (local.get $b2)))))

  ;; Runs of Base64 characters in [p, end), 16 bytes at a time, the first one already $run
  ;; long at p (carried from the chunk before): every run of at least limit (≥ 15, so a run
  ;; that touches neither edge of a 16-byte block is too short to count) that ends before end
  ;; is an event (−1 − start, end) at out; returns the end of the events and stores the length
  ;; of the run still open at end at address 4.
  (func (export "runs") (param $p i32) (param $end i32) (param $out i32) (param $limit i32) (param $run i32) (result i32)
    (local $v v128) (local $m i32) (local $tz i32) (local $b i32) (local $first i32)
    (local.set $first (local.get $p))
    (block $vdone (loop $vec
      (br_if $vdone (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
      (local.set $v (v128.load (local.get $p)))
      (local.set $m (i8x16.bitmask (v128.or
        (v128.or
          (i8x16.lt_u (i8x16.sub (v128.or (local.get $v) ${splat(0x20)}) ${splat(0x61)}) ${splat(26)})
          (i8x16.lt_u (i8x16.sub (local.get $v) ${splat(0x30)}) ${splat(10)}))
        (v128.or
          (v128.or (i8x16.eq (local.get $v) ${splat(0x2b)}) (i8x16.eq (local.get $v) ${splat(0x2f)}))
          (v128.or (i8x16.eq (local.get $v) ${splat(0x2d)}) (i8x16.eq (local.get $v) ${splat(0x5f)}))))))
      (if (i32.eq (local.get $m) (i32.const 0xffff))
        (then (local.set $run (i32.add (local.get $run) (i32.const 16))))
        (else
          ;; the run open before this block ends at its first non-Base64 byte
          (local.set $tz (i32.ctz (i32.xor (local.get $m) (i32.const -1))))
          (local.set $run (i32.add (local.get $run) (local.get $tz)))
          (if (i32.and (i32.ge_u (local.get $run) (local.get $limit))
                (call $candidate (i32.sub (i32.add (local.get $p) (local.get $tz)) (local.get $run)) (i32.add (local.get $p) (local.get $tz)) (local.get $first))) (then
            (i32.store (local.get $out) (i32.sub (i32.const -1) (i32.sub (i32.add (local.get $p) (local.get $tz)) (local.get $run))))
            (i32.store offset=4 (local.get $out) (i32.add (local.get $p) (local.get $tz)))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))))
          ;; the new open run: the Base64 bytes at the block's end
          (local.set $run (i32.clz (i32.shl (i32.xor (local.get $m) (i32.const 0xffff)) (i32.const 16))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (block $sdone (loop $scalar
      (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $b (i32.load8_u (local.get $p)))
      (if (i32.load8_s offset=${B64} (local.get $b))
        (then (local.set $run (i32.add (local.get $run) (i32.const 1))))
        (else
          (if (i32.and (i32.ge_u (local.get $run) (local.get $limit))
                (call $candidate (i32.sub (local.get $p) (local.get $run)) (local.get $p) (local.get $first))) (then
            (i32.store (local.get $out) (i32.sub (i32.const -1) (i32.sub (local.get $p) (local.get $run))))
            (i32.store offset=4 (local.get $out) (local.get $p))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))))
          (local.set $run (i32.const 0))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $scalar)))
    (i32.store (i32.const 4) (local.get $run))
    (local.get $out))
)
`;
}
