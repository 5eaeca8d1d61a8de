#!/usr/bin/env bash
# What Leibniz adds to the build of a user's project. Packs the package from this checkout, generates
# the same 200-method project twice (generate-project.sh): once with the methods marked [Differentiable]
# and the Leibniz package referenced, once with no attributes on TorchSharp-cpu alone; then times
# `dotnet build` on each, interleaved, for a build with nothing changed and for a build after one
# method's body changed. Prints medians of wall-clock and of CPU time (user + system of the build and
# every process it ran), and the Leibniz generator's and analyzers' own time (the compiler's
# /reportanalyzer) for one edit-build.
#
#   benchmarks/BuildTime/run.sh [RUNS]       RUNS timed builds of each kind per project (default 5)
#
# The compiler runs in the build's own process tree (UseSharedCompilation=false), so that its CPU time
# is counted: on a machine shared with other work, CPU time is the figure that holds still, and wall
# time follows it on a quiet machine. Each build thus starts a fresh compiler, as CI does; a developer's
# warm compiler server saves both projects the same start-up. MSBuild's worker nodes are not kept alive.
#
# Last, split.sh runs the compiler command line of that edit-build by itself to split what Leibniz adds into
# compiling the generated code, the generators and the analyzers.
#
# Environment: LEIBNIZ_BUILDTIME_DIR keeps the projects there instead of a temporary folder that is
# removed at the end; LEIBNIZ_BUILDTIME_SPLIT_RUNS sets split.sh's runs (default 3, 0 skips it).
set -euo pipefail

runs=${1:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
version="0.0.0-buildtime.$(date -u +%Y%m%d%H%M%S).$$"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1 MSBUILDTERMINALLOGGER=off

if [[ -n ${LEIBNIZ_BUILDTIME_DIR:-} ]]; then
    work=$LEIBNIZ_BUILDTIME_DIR
    keep=1
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/leibniz-buildtime.XXXXXX")
    keep=0
fi
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}

cleanup() {
    # The package version is unique to this run: its cache entry would only pile up.
    rm -rf "$packages/leibniz/$version"
    if (( keep == 0 )); then rm -rf "$work"; fi
}
trap cleanup EXIT

echo "packing Leibniz $version ..."
dotnet pack "$root/src/Runtime/Leibniz.Runtime.csproj" -c Release -nologo -v:q \
    -p:Version="$version" -p:NuspecOutputPath="$work/nuspec/" -o "$work/feed" > "$work/pack.log" \
    || { cat "$work/pack.log"; exit 1; }

leibniz=$work/leibniz
plain=$work/plain
rm -rf "$leibniz" "$plain"
"$here/generate-project.sh" "$leibniz" leibniz "$version"
"$here/generate-project.sh" "$plain" plain
cat > "$leibniz/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="leibniz-under-test" value="$work/feed" />
  </packageSources>
</configuration>
EOF

# "wall cpu": the seconds one `dotnet build` took, and the CPU seconds it and its children used; its
# output goes to a log beside the project.
timed_build() {
    local project=$1 log=$2 clock
    shift 2
    clock=$(mktemp)
    local TIMEFORMAT='%R %U %S'
    if ! { time dotnet build "$project" -nologo -v:q -p:UseSharedCompilation=false "$@" > "$log" 2>&1 ; } 2> "$clock"; then
        cat "$log" >&2
        echo "the build of $project failed" >&2
        exit 1
    fi
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$clock"
    rm -f "$clock"
}

# Changes the constant on the line marked EDIT in the first scalar function, a new value each time.
edit_one_method() {
    local project=$1 value=$2
    sed -i -E "s/\+ [0-9.]+ \* x\[k\] \* x\[k\]; \/\/ EDIT/+ $value * x[k] * x[k]; \/\/ EDIT/" "$project/Scalar/Functions00.cs"
    grep -q "+ $value \* x\[k\] \* x\[k\]; // EDIT" "$project/Scalar/Functions00.cs"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The first build restores and copies libtorch (about 1 GB) into bin/; the second warms the compiler server.
for project in "$leibniz" "$plain"; do
    echo "first builds of $(basename "$project") ..."
    timed_build "$project" "$project/first.log" > /dev/null
    timed_build "$project" "$project/second.log" > /dev/null
done

# wall[kind,arm], cpu[kind,arm]: the seconds of every timed build, space-separated.
declare -A wall cpu
for run in $(seq 1 "$runs"); do
    for arm in leibniz plain; do
        project=$work/$arm
        read -r w c < <(timed_build "$project" "$project/nochange-$run.log")
        wall[nochange,$arm]+=" $w"; cpu[nochange,$arm]+=" $c"
        edit_one_method "$project" "0.$((500 + run))"
        read -r w2 c2 < <(timed_build "$project" "$project/edit-$run.log")
        wall[edit,$arm]+=" $w2"; cpu[edit,$arm]+=" $c2"
        echo "run $run/$runs $arm: no change $w s ($c s CPU), one method edited $w2 s ($c2 s CPU)"
    done
done

# One more edit-build with the compiler's per-analyzer and per-generator report.
edit_one_method "$leibniz" "0.499"
timed_build "$leibniz" "$leibniz/report.log" -v:d -p:ReportAnalyzer=true > /dev/null

echo
echo "dotnet build, median of $runs (seconds); $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), SDK $(dotnet --version)"
printf '%-20s %-6s %10s %10s %10s\n' "" "" "Leibniz" "plain" "added"
for kind in nochange edit; do
    if [[ $kind == nochange ]]; then label="no change"; else label="one method edited"; fi
    for measure in wall cpu; do
        declare -n series=$measure
        l=$(echo "${series[$kind,leibniz]}" | median)
        p=$(echo "${series[$kind,plain]}" | median)
        printf '%-20s %-6s %10s %10s %10s\n' "$label" "$measure" "$l" "$p" "$(awk -v a="$l" -v b="$p" 'BEGIN { printf "%+.2f", a - b }')"
        unset -n series
    done
done
for kind in nochange edit; do
    echo "  every $kind build, wall: Leibniz${wall[$kind,leibniz]}; plain${wall[$kind,plain]}"
    echo "  every $kind build, CPU:  Leibniz${cpu[$kind,leibniz]}; plain${cpu[$kind,plain]}"
done
echo
echo "Leibniz in the compiler's report of one edit-build (seconds, % of all analyzers or generators):"
grep -E "Total (analyzer|generator) execution time|^ +[0-9.]+ +[<0-9]+ +Leibniz\." "$leibniz/report.log" | sed -E 's/^ +/  /'
uptime

split_runs=${LEIBNIZ_BUILDTIME_SPLIT_RUNS:-3}
if (( split_runs > 0 )); then
    echo
    "$here/split.sh" "$leibniz" "$split_runs"
    uptime
fi
