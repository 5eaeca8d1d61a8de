#!/usr/bin/env bash
# Where the compiler's time goes in an edit-build of the Leibniz project: runs the compiler command line of that
# build (from run.sh's report.log) by itself, interleaved, in four forms:
#
#   without     no Leibniz generator or analyzer (the user's code alone; it compiles, the attributes are the runtime's)
#   as-source   that, plus the code the generators wrote, passed in as ordinary source files: what compiling it costs
#   generators  the Leibniz generators, no Leibniz analyzers: generating the code and compiling it
#   all         the build's own command line: generators and analyzers
#
# so that generators − as-source is the generators' own time, all − generators the analyzers', and as-source −
# without the compiling of the generated code. CPU seconds are user + system of the compiler process.
#
#   benchmarks/BuildTime/split.sh PROJECT [RUNS]    PROJECT: the leibniz project run.sh built (default RUNS 5)
set -euo pipefail

project=$(cd "$1" && pwd)
runs=${2:-5}
csc=$(grep -m1 -oE '/[^ ]*/Roslyn/bincore/csc ' "$project/report.log" | sed 's/ $//')
[[ -n $csc ]] || { echo "no compiler command line in $project/report.log" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/leibniz-split.XXXXXX")
trap 'rm -rf "$out"' EXIT

# The command line, less the compiler's path, writing its outputs elsewhere and without /reportanalyzer.
grep -m1 -E '/Roslyn/bincore/csc ' "$project/report.log" | sed -E "s#^ *[^ ]*/Roslyn/bincore/csc ##; s#/out:[^ ]*#/out:$out/BuildTime.dll#; s#/refout:[^ ]*#/refout:$out/ref.dll#; s#/reportanalyzer##" > "$out/all.rsp"
sed -E 's#/analyzer:[^ ]*/Leibniz\.(Analyzers|CodeFixes)\.dll##g' "$out/all.rsp" > "$out/generators.rsp"
sed -E 's#/analyzer:[^ ]*/Leibniz\.[A-Za-z]+\.dll##g' "$out/all.rsp" > "$out/without.rsp"

# The generated code, written once by the compiler itself.
generated=$out/generated
for generator in DifferentiableGenerator ModelGenerator; do mkdir -p "$generated/Leibniz.Generators/Leibniz.Generators.Pipelines.$generator"; done
(cd "$project" && "$csc" @"$out/generators.rsp" /generatedfilesout:"$generated" > "$out/generate.log") || { cat "$out/generate.log"; exit 1; }
{ cat "$out/without.rsp"; find "$generated" -name '*.cs' | sort | tr '\n' ' '; } > "$out/as-source.rsp"
echo "generated code: $(find "$generated" -name '*.cs' | wc -l) files, $(find "$generated" -name '*.cs' -exec cat {} + | wc -l) lines, $(find "$generated" -name '*.cs' -exec cat {} + | wc -c) bytes"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A cpu wall
forms="without as-source generators all"
for run in $(seq 1 "$runs"); do
    for form in $forms; do
        clock=$(mktemp)
        (cd "$project" && /usr/bin/env time -f '%e %U %S' -o "$clock" "$csc" @"$out/$form.rsp" > "$out/$form.log") \
            || { cat "$out/$form.log" >&2; echo "the $form compilation failed" >&2; exit 1; }
        read -r w c < <(awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$clock")
        rm -f "$clock"
        wall[$form]+=" $w"; cpu[$form]+=" $c"
    done
    echo "run $run/$runs, CPU s: $(for f in $forms; do echo -n "$f ${cpu[$f]##* }  "; done)"
done

echo
echo "the compiler alone, median of $runs (seconds); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %8s %8s\n' "" "CPU" "wall"
for form in $forms; do
    printf '%-12s %8s %8s\n' "$form" "$(echo "${cpu[$form]}" | median)" "$(echo "${wall[$form]}" | median)"
done
m() { echo "${cpu[$1]}" | median; }
awk -v w="$(m without)" -v s="$(m as-source)" -v g="$(m generators)" -v a="$(m all)" 'BEGIN {
    printf "compiling the generated code  %+.2f s CPU\n", s - w
    printf "the generators themselves     %+.2f s CPU\n", g - s
    printf "the analyzers                 %+.2f s CPU\n", a - g
    printf "all that Leibniz adds         %+.2f s CPU\n", a - w }'
for form in $forms; do echo "  every $form, CPU:${cpu[$form]}"; done
