;; The fast path of numericRows.ts in WebAssembly: rows of plain decimal numbers, straight from the
;; bytes, with exactly the same rules and results. It gives up (returns -1) at anything else,
;; including numbers it cannot convert exactly (more than 15 significant digits, or a power of ten
;; beyond 10^22), and the caller then runs the JavaScript parser on the file.
;;
;; Memory: 10^0 .. 10^22 as f64 at $powers (written by the caller); the file's bytes at
;; [$start, $end); the values go to $out, row-major, at most $capacity rows of $columns.
(module
  (memory (export "memory") 1)
  (func (export "parseRows")
    (param $powers i32) (param $start i32) (param $end i32) (param $columns i32) (param $out i32) (param $capacity i32)
    (result i32)
    (local $i i32) (local $c i32) (local $rows i32) (local $column i32) (local $negative i32)
    (local $mantissa i64) (local $digits i32) (local $scale i32) (local $sawDigit i32)
    (local $exponent i32) (local $exponentNegative i32) (local $exponentDigits i32) (local $power i32)
    (local $value f64)
    (local.set $i (local.get $start))
    (block $done
      (loop $nextLine
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        ;; Skip blank lines.
        (if (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $nextLine)))
        (if (i32.ge_u (local.get $rows) (local.get $capacity)) (then (return (i32.const -1))))
        (local.set $column (i32.const 0))
        (loop $nextColumn
          ;; Skip spaces, and tabs or commas between cells.
          (block $separatorsDone
            (loop $skip
              (br_if $separatorsDone (i32.ge_u (local.get $i) (local.get $end)))
              (local.set $c (i32.load8_u (local.get $i)))
              (br_if $separatorsDone
                (i32.eqz
                  (i32.or
                    (i32.eq (local.get $c) (i32.const 32))
                    (i32.and
                      (i32.ne (local.get $column) (i32.const 0))
                      (i32.or (i32.eq (local.get $c) (i32.const 9)) (i32.eq (local.get $c) (i32.const 44)))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $skip)))
          (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
          ;; Sign.
          (local.set $c (i32.load8_u (local.get $i)))
          (local.set $negative (i32.eq (local.get $c) (i32.const 45)))
          (if (i32.or (local.get $negative) (i32.eq (local.get $c) (i32.const 43)))
            (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          ;; Integer digits, then fraction digits.
          (local.set $mantissa (i64.const 0))
          (local.set $digits (i32.const 0))
          (local.set $scale (i32.const 0))
          (local.set $sawDigit (i32.const 0))
          (block $integerDone
            (loop $integer
              (br_if $integerDone (i32.ge_u (local.get $i) (local.get $end)))
              (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
              (br_if $integerDone (i32.gt_u (local.get $c) (i32.const 9)))
              (local.set $mantissa (i64.add (i64.mul (local.get $mantissa) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
              (if (i64.ne (local.get $mantissa) (i64.const 0)) (then (local.set $digits (i32.add (local.get $digits) (i32.const 1)))))
              (local.set $sawDigit (i32.const 1))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $integer)))
          (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 46)))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (block $fractionDone
                (loop $fraction
                  (br_if $fractionDone (i32.ge_u (local.get $i) (local.get $end)))
                  (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                  (br_if $fractionDone (i32.gt_u (local.get $c) (i32.const 9)))
                  (local.set $mantissa (i64.add (i64.mul (local.get $mantissa) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
                  (if (i64.ne (local.get $mantissa) (i64.const 0)) (then (local.set $digits (i32.add (local.get $digits) (i32.const 1)))))
                  (local.set $scale (i32.add (local.get $scale) (i32.const 1)))
                  (local.set $sawDigit (i32.const 1))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $fraction)))))
          (if (i32.eqz (local.get $sawDigit)) (then (return (i32.const -1))))
          ;; Exponent.
          (local.set $exponent (i32.const 0))
          (if (i32.lt_u (local.get $i) (local.get $end))
            (then
              (local.set $c (i32.load8_u (local.get $i)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 101)) (i32.eq (local.get $c) (i32.const 69)))
                (then
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $exponentNegative (i32.const 0))
                  (if (i32.lt_u (local.get $i) (local.get $end))
                    (then
                      (local.set $c (i32.load8_u (local.get $i)))
                      (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 43)))
                        (then
                          (local.set $exponentNegative (i32.eq (local.get $c) (i32.const 45)))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
                  (local.set $exponentDigits (i32.const 0))
                  (block $exponentDone
                    (loop $exponentDigit
                      (br_if $exponentDone (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $c (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                      (br_if $exponentDone (i32.gt_u (local.get $c) (i32.const 9)))
                      (local.set $exponent (i32.add (i32.mul (local.get $exponent) (i32.const 10)) (local.get $c)))
                      (local.set $exponentDigits (i32.add (local.get $exponentDigits) (i32.const 1)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $exponentDigit)))
                  ;; No digits is for the exact parser to report; many digits, for the JavaScript one to convert.
                  (if (i32.or (i32.eqz (local.get $exponentDigits)) (i32.gt_u (local.get $exponentDigits) (i32.const 4)))
                    (then (return (i32.const -1))))
                  (if (local.get $exponentNegative)
                    (then (local.set $exponent (i32.sub (i32.const 0) (local.get $exponent)))))))))
          ;; The number must end at a separator or the end of the line.
          (if (i32.lt_u (local.get $i) (local.get $end))
            (then
              (local.set $c (i32.load8_u (local.get $i)))
              (if (i32.eqz
                    (i32.or
                      (i32.or (i32.eq (local.get $c) (i32.const 9)) (i32.eq (local.get $c) (i32.const 44)))
                      (i32.or
                        (i32.eq (local.get $c) (i32.const 32))
                        (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))))
                (then (return (i32.const -1))))))
          ;; Exact: an integer below 2^53 times or divided by an exact power of ten rounds once.
          (local.set $power (i32.sub (local.get $exponent) (local.get $scale)))
          (if (i32.or
                (i32.gt_u (local.get $digits) (i32.const 15))
                (i32.or (i32.lt_s (local.get $power) (i32.const -22)) (i32.gt_s (local.get $power) (i32.const 22))))
            (then (return (i32.const -1))))
          (if (i32.lt_s (local.get $power) (i32.const 0))
            (then
              (local.set $value
                (f64.div
                  (f64.convert_i64_u (local.get $mantissa))
                  (f64.load (i32.add (local.get $powers) (i32.shl (i32.sub (i32.const 0) (local.get $power)) (i32.const 3)))))))
            (else
              (local.set $value
                (f64.mul
                  (f64.convert_i64_u (local.get $mantissa))
                  (f64.load (i32.add (local.get $powers) (i32.shl (local.get $power) (i32.const 3))))))))
          (if (local.get $negative) (then (local.set $value (f64.neg (local.get $value)))))
          (f64.store
            (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $rows) (local.get $columns)) (local.get $column)) (i32.const 3)))
            (local.get $value))
          (local.set $column (i32.add (local.get $column) (i32.const 1)))
          (if (i32.lt_u (local.get $column) (local.get $columns))
            (then
              ;; A separator before the end of the line is an empty cell: for the exact parser to report.
              (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
              (local.set $c (i32.load8_u (local.get $i)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))
                (then (return (i32.const -1))))
              (br $nextColumn))))
        ;; Trailing spaces, then the end of the line.
        (block $spacesDone
          (loop $spaces
            (br_if $spacesDone (i32.ge_u (local.get $i) (local.get $end)))
            (br_if $spacesDone (i32.ne (i32.load8_u (local.get $i)) (i32.const 32)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $spaces)))
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.and (i32.ne (local.get $c) (i32.const 10)) (i32.ne (local.get $c) (i32.const 13)))
              (then (return (i32.const -1))))))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        (br $nextLine)))
    (local.get $rows)))
