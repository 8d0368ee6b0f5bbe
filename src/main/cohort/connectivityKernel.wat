;; One subject's functional connectivity in WebAssembly: each ROI's mean and spread, its time
;; series centred and scaled, the Gram product behind the Pearson correlations (all with 128-bit
;; SIMD, two ROIs per lane pair), then Fisher z.
;;
;; columnMeans, columnSumSquares, standardise: on Z in place (timePoints rows of `stride` f64, the
;; raw values, padded with zero columns); one f64 per column at $mean, $sumSquares and $scale.
;;
;; gramRows:
;; Input: Z, timePoints rows by `stride` columns of f64 (row-major, time-major as the files are), each
;; column an ROI's centred time series scaled to unit length, padded with zero columns to a multiple
;; of four; at least one time point. Output: G = Z^T Z, stride by stride f64 (row-major), G[i][j] = correlation of ROIs i, j.
;; Only the blocks on and above the diagonal are written: gramRows fills rows i0..i0+3, columns
;; i0..stride-1, and the caller calls it once per block of four rows (so V8 soon tiers it up).
;;
;; Each block of 4 x 4 results is kept in eight f64x2 registers while the loop walks down the time
;; points: per time point, two loads of Z[t][j0..j0+3] and four splats of Z[t][i0..i0+3] serve
;; sixteen multiply-adds.
(module
  (memory (export "memory") 1)
  (func (export "gramRows")
    (param $z i32) (param $g i32) (param $timePoints i32) (param $stride i32) (param $i0 i32)
    (local $rowBytes i32) (local $j0 i32) (local $a i32) (local $b i32) (local $end i32) (local $out i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $j0 (local.get $i0))
    (block $columnsDone
      (loop $nextColumns
        (br_if $columnsDone (i32.ge_u (local.get $j0) (local.get $stride)))
        (local.set $c00 (v128.const f64x2 0 0))
        (local.set $c01 (v128.const f64x2 0 0))
        (local.set $c10 (v128.const f64x2 0 0))
        (local.set $c11 (v128.const f64x2 0 0))
        (local.set $c20 (v128.const f64x2 0 0))
        (local.set $c21 (v128.const f64x2 0 0))
        (local.set $c30 (v128.const f64x2 0 0))
        (local.set $c31 (v128.const f64x2 0 0))
        (local.set $a (i32.add (local.get $z) (i32.shl (local.get $i0) (i32.const 3))))
        (local.set $b (i32.add (local.get $z) (i32.shl (local.get $j0) (i32.const 3))))
        (local.set $end (i32.add (local.get $a) (i32.mul (local.get $timePoints) (local.get $rowBytes))))
        (loop $nextTimePoint
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=8 (local.get $a)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=16 (local.get $a)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=24 (local.get $a)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
          (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
          (br_if $nextTimePoint (i32.lt_u (local.get $a) (local.get $end))))
        (local.set $out
          (i32.add (local.get $g) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $stride)) (local.get $j0)) (i32.const 3))))
        (v128.store (local.get $out) (local.get $c00))
        (v128.store offset=16 (local.get $out) (local.get $c01))
        (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
        (v128.store (local.get $out) (local.get $c10))
        (v128.store offset=16 (local.get $out) (local.get $c11))
        (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
        (v128.store (local.get $out) (local.get $c20))
        (v128.store offset=16 (local.get $out) (local.get $c21))
        (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
        (v128.store (local.get $out) (local.get $c30))
        (v128.store offset=16 (local.get $out) (local.get $c31))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 4)))
        (br $nextColumns))))

  ;; fisherRows: rows i0..i1-1 of the R x R float32 Fisher-z matrix at $out from G (as gramRows left
  ;; it) at $g: out[i][j] = out[j][i] = atanh(clip(G[i][j], -0.999, 0.999)) for j > i, out[i][i] = 0.
  (func (export "fisherRows")
    (param $g i32) (param $out i32) (param $stride i32) (param $rois i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $j i32) (local $z f32)
    (local.set $i (local.get $i0))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $i1)))
        (f32.store
          (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i) (i32.add (local.get $rois) (i32.const 1))) (i32.const 2)))
          (f32.const 0))
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (block $columnsDone
          (loop $nextColumn
            (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $rois)))
            (local.set $z
              (f32.demote_f64
                (call $fisherZ
                  (f64.load
                    (i32.add (local.get $g) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $stride)) (local.get $j)) (i32.const 3)))))))
            (f32.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $rois)) (local.get $j)) (i32.const 2)))
              (local.get $z))
            (f32.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rois)) (local.get $i)) (i32.const 2)))
              (local.get $z))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nextColumn)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextRow))))

  ;; atanh(clip(r, -0.999, 0.999)) = log((1 + r) / (1 - r)) / 2.
  (func $fisherZ (param $r f64) (result f64)
    (local.set $r (f64.min (f64.const 0.999) (f64.max (f64.const -0.999) (local.get $r))))
    (f64.mul
      (f64.const 0.5)
      (call $log (f64.div (f64.add (f64.const 1) (local.get $r)) (f64.sub (f64.const 1) (local.get $r))))))

  ;; The natural logarithm of a positive, normal x, as in fdlibm's (and musl's) log: x = 2^k (1 + f)
  ;; with 1 + f in [sqrt(2)/2, sqrt(2)), and log(1 + f) = f - hfsq + s (hfsq + R(s^2)), where
  ;; s = f / (2 + f), hfsq = f^2 / 2 and R a minimax polynomial (error below 1 ulp).
  (func $log (param $x f64) (result f64)
    (local $bits i64) (local $high i32) (local $k i32) (local $f f64) (local $hfsq f64) (local $s f64)
    (local $z f64) (local $w f64) (local $t1 f64) (local $t2 f64) (local $dk f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    ;; Move 1 + f into [sqrt(2)/2, sqrt(2)) and take k from the exponent.
    (local.set $high (i32.add (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))) (i32.const 0x95f62)))
    (local.set $k (i32.sub (i32.shr_s (local.get $high) (i32.const 20)) (i32.const 0x3ff)))
    (local.set $high (i32.add (i32.and (local.get $high) (i32.const 0x000fffff)) (i32.const 0x3fe6a09e)))
    (local.set $f
      (f64.sub
        (f64.reinterpret_i64
          (i64.or
            (i64.shl (i64.extend_i32_u (local.get $high)) (i64.const 32))
            (i64.and (local.get $bits) (i64.const 0xffffffff))))
        (f64.const 1)))
    (local.set $hfsq (f64.mul (f64.const 0.5) (f64.mul (local.get $f) (local.get $f))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $t1
      (f64.mul (local.get $w)
        (f64.add (f64.const 3.999999999940941908e-01)
          (f64.mul (local.get $w)
            (f64.add (f64.const 2.222219843214978396e-01) (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01)))))))
    (local.set $t2
      (f64.mul (local.get $z)
        (f64.add (f64.const 6.666666666666735130e-01)
          (f64.mul (local.get $w)
            (f64.add (f64.const 2.857142874366239149e-01)
              (f64.mul (local.get $w)
                (f64.add (f64.const 1.818357216161805012e-01) (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01)))))))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    ;; s (hfsq + R) + k ln2_lo - hfsq + f + k ln2_hi
    (f64.add
      (f64.add
        (f64.sub
          (f64.add
            (f64.mul (local.get $s) (f64.add (local.get $hfsq) (f64.add (local.get $t1) (local.get $t2))))
            (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
          (local.get $hfsq))
        (local.get $f))
      (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))))

  (func (export "columnMeans") (param $z i32) (param $timePoints i32) (param $stride i32) (param $mean i32)
    (local $column i32) (local $at i32) (local $end i32) (local $sum v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.add (local.get $z) (i32.mul (local.get $timePoints) (local.get $rowBytes))))
    (local.set $column (i32.const 0))
    (block $done
      (loop $nextPair
        (br_if $done (i32.ge_u (local.get $column) (local.get $stride)))
        (local.set $sum (v128.const f64x2 0 0))
        (local.set $at (i32.add (local.get $z) (i32.shl (local.get $column) (i32.const 3))))
        (loop $nextTimePoint
          (local.set $sum (f64x2.add (local.get $sum) (v128.load (local.get $at))))
          (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
          (br_if $nextTimePoint (i32.lt_u (local.get $at) (local.get $end))))
        (v128.store
          (i32.add (local.get $mean) (i32.shl (local.get $column) (i32.const 3)))
          (f64x2.div (local.get $sum) (f64x2.splat (f64.convert_i32_u (local.get $timePoints)))))
        (local.set $column (i32.add (local.get $column) (i32.const 2)))
        (br $nextPair))))

  (func (export "columnSumSquares") (param $z i32) (param $timePoints i32) (param $stride i32) (param $mean i32) (param $sumSquares i32)
    (local $column i32) (local $at i32) (local $end i32) (local $sum v128) (local $m v128) (local $centred v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.add (local.get $z) (i32.mul (local.get $timePoints) (local.get $rowBytes))))
    (local.set $column (i32.const 0))
    (block $done
      (loop $nextPair
        (br_if $done (i32.ge_u (local.get $column) (local.get $stride)))
        (local.set $sum (v128.const f64x2 0 0))
        (local.set $m (v128.load (i32.add (local.get $mean) (i32.shl (local.get $column) (i32.const 3)))))
        (local.set $at (i32.add (local.get $z) (i32.shl (local.get $column) (i32.const 3))))
        (loop $nextTimePoint
          (local.set $centred (f64x2.sub (v128.load (local.get $at)) (local.get $m)))
          (local.set $sum (f64x2.add (local.get $sum) (f64x2.mul (local.get $centred) (local.get $centred))))
          (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
          (br_if $nextTimePoint (i32.lt_u (local.get $at) (local.get $end))))
        (v128.store (i32.add (local.get $sumSquares) (i32.shl (local.get $column) (i32.const 3))) (local.get $sum))
        (local.set $column (i32.add (local.get $column) (i32.const 2)))
        (br $nextPair))))

  ;; z = (z - mean) * scale, column by column (a zero scale masks a column).
  (func (export "standardise") (param $z i32) (param $timePoints i32) (param $stride i32) (param $mean i32) (param $scale i32)
    (local $at i32) (local $end i32) (local $column i32) (local $offset i32)
    (local.set $at (local.get $z))
    (local.set $end (i32.add (local.get $z) (i32.shl (i32.mul (local.get $timePoints) (local.get $stride)) (i32.const 3))))
    (block $done
      (loop $nextRow
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $column (i32.const 0))
        (loop $nextPair
          (local.set $offset (i32.shl (local.get $column) (i32.const 3)))
          (v128.store
            (i32.add (local.get $at) (local.get $offset))
            (f64x2.mul
              (f64x2.sub (v128.load (i32.add (local.get $at) (local.get $offset))) (v128.load (i32.add (local.get $mean) (local.get $offset))))
              (v128.load (i32.add (local.get $scale) (local.get $offset)))))
          (local.set $column (i32.add (local.get $column) (i32.const 2)))
          (br_if $nextPair (i32.lt_u (local.get $column) (local.get $stride))))
        (local.set $at (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 3))))
        (br $nextRow))))
)
