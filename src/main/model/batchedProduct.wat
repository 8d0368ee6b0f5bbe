;; Batched matrix products in WebAssembly with 128-bit SIMD, for the small products of attention
;; (TTCA's context, the encoder's scores and context), which the wasm back end of TensorFlow.js runs
;; on its scalar path (about 2 GFLOP/s).
;;
;; product: out[n] = A[n] B[n] for n < batch, float32, all row-major.
;;   A[n] is read as left x shared through strides: element (i, k) at a + 4 (n left shared +
;;   i aOuter + k aInner), so a transposed A is a pair of strides (aOuter 1, aInner left).
;;   B[n] is shared x right, contiguous (a transposed B is transposed first: transpose below).
;;   out[n] is left x right.
;; Each output is summed as TensorFlow.js's own batched product sums it, so that results are equal
;; to the bit: over k in blocks of 48, each block's products added one by one, in order, to a sum
;; that starts at 0, and each block's sum then added to the output (which starts at 0), then 0
;; added. Four outputs of a row are computed side by side in one f32x4, with a scalar tail.
;;
;; transpose: dst[n] = src[n]^T for n < batch, src[n] rows x columns, dst[n] columns x rows.
(module
  (memory (export "memory") 1)
  (func (export "product")
    (param $a i32) (param $b i32) (param $out i32) (param $batch i32) (param $left i32) (param $shared i32) (param $right i32)
    (param $aOuter i32) (param $aInner i32)
    (local $n i32) (local $i i32) (local $j i32) (local $k i32) (local $k0 i32) (local $kEnd i32)
    (local $rowBytes i32) (local $aInnerBytes i32) (local $vectorEnd i32)
    (local $aBase i32) (local $bBase i32) (local $outRow i32) (local $aPtr i32) (local $bPtr i32) (local $o i32)
    (local $sum v128) (local $s f32)
    (local.set $rowBytes (i32.shl (local.get $right) (i32.const 2)))
    (local.set $aInnerBytes (i32.shl (local.get $aInner) (i32.const 2)))
    (local.set $vectorEnd (i32.and (local.get $right) (i32.const -4)))
    (local.set $n (i32.const 0))
    (loop $batches
      (local.set $i (i32.const 0))
      (loop $rows
        (local.set $aBase
          (i32.add (local.get $a)
            (i32.shl
              (i32.add
                (i32.mul (local.get $n) (i32.mul (local.get $left) (local.get $shared)))
                (i32.mul (local.get $i) (local.get $aOuter)))
              (i32.const 2))))
        (local.set $bBase (i32.add (local.get $b) (i32.mul (i32.mul (local.get $n) (local.get $shared)) (local.get $rowBytes))))
        (local.set $outRow
          (i32.add (local.get $out) (i32.mul (i32.add (i32.mul (local.get $n) (local.get $left)) (local.get $i)) (local.get $rowBytes))))
        (local.set $j (i32.const 0))
        (block $zeroed
          (loop $zero
            (br_if $zeroed (i32.ge_u (local.get $j) (local.get $right)))
            (f32.store (i32.add (local.get $outRow) (i32.shl (local.get $j) (i32.const 2))) (f32.const 0))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $zero)))
        (local.set $k0 (i32.const 0))
        (block $blocksDone
          (loop $blocks
            (br_if $blocksDone (i32.ge_u (local.get $k0) (local.get $shared)))
            (local.set $kEnd
              (select
                (i32.add (local.get $k0) (i32.const 48))
                (local.get $shared)
                (i32.lt_u (i32.add (local.get $k0) (i32.const 48)) (local.get $shared))))
            (local.set $j (i32.const 0))
            (block $vectorsDone
              (loop $vectors
                (br_if $vectorsDone (i32.ge_u (local.get $j) (local.get $vectorEnd)))
                (local.set $sum (v128.const f32x4 0 0 0 0))
                (local.set $aPtr (i32.add (local.get $aBase) (i32.mul (local.get $k0) (local.get $aInnerBytes))))
                (local.set $bPtr
                  (i32.add
                    (i32.add (local.get $bBase) (i32.mul (local.get $k0) (local.get $rowBytes)))
                    (i32.shl (local.get $j) (i32.const 2))))
                (local.set $k (local.get $k0))
                (loop $inner
                  (local.set $sum
                    (f32x4.add (local.get $sum) (f32x4.mul (v128.load32_splat (local.get $aPtr)) (v128.load (local.get $bPtr)))))
                  (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aInnerBytes)))
                  (local.set $bPtr (i32.add (local.get $bPtr) (local.get $rowBytes)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $inner (i32.lt_u (local.get $k) (local.get $kEnd))))
                (local.set $o (i32.add (local.get $outRow) (i32.shl (local.get $j) (i32.const 2))))
                (v128.store (local.get $o)
                  (f32x4.add (f32x4.add (v128.load (local.get $o)) (local.get $sum)) (v128.const f32x4 0 0 0 0)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $vectors)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $j) (local.get $right)))
                (local.set $s (f32.const 0))
                (local.set $aPtr (i32.add (local.get $aBase) (i32.mul (local.get $k0) (local.get $aInnerBytes))))
                (local.set $bPtr
                  (i32.add
                    (i32.add (local.get $bBase) (i32.mul (local.get $k0) (local.get $rowBytes)))
                    (i32.shl (local.get $j) (i32.const 2))))
                (local.set $k (local.get $k0))
                (loop $innerTail
                  (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $aPtr)) (f32.load (local.get $bPtr)))))
                  (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aInnerBytes)))
                  (local.set $bPtr (i32.add (local.get $bPtr) (local.get $rowBytes)))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $innerTail (i32.lt_u (local.get $k) (local.get $kEnd))))
                (local.set $o (i32.add (local.get $outRow) (i32.shl (local.get $j) (i32.const 2))))
                (f32.store (local.get $o) (f32.add (f32.add (f32.load (local.get $o)) (local.get $s)) (f32.const 0)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tail)))
            (local.set $k0 (local.get $kEnd))
            (br $blocks)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $i) (local.get $left))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $batches (i32.lt_u (local.get $n) (local.get $batch)))))

  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batch i32) (param $rows i32) (param $columns i32)
    (local $n i32) (local $r i32) (local $c i32) (local $from i32) (local $to i32) (local $size i32) (local $dstRowBytes i32)
    (local.set $size (i32.shl (i32.mul (local.get $rows) (local.get $columns)) (i32.const 2)))
    (local.set $dstRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $batches
      (local.set $from (i32.add (local.get $src) (i32.mul (local.get $n) (local.get $size))))
      (local.set $r (i32.const 0))
      (loop $sourceRows
        (local.set $to
          (i32.add (i32.add (local.get $dst) (i32.mul (local.get $n) (local.get $size))) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $c (i32.const 0))
        (loop $sourceColumns
          (f32.store (local.get $to) (f32.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (i32.const 4)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRowBytes)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $sourceColumns (i32.lt_u (local.get $c) (local.get $columns))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $sourceRows (i32.lt_u (local.get $r) (local.get $rows))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $batches (i32.lt_u (local.get $n) (local.get $batch))))))
