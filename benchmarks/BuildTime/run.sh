#!/usr/bin/env bash
# What Leibniz adds to the build of a user's project. Packs the package from this checkout, generates
# the same 200-method project twice (generate-project.sh): once with the methods marked [Differentiable]
# and the Leibniz package referenced, once with no attributes on TorchSharp-cpu alone; then times
# `dotnet build` on each, interleaved, for a build with nothing changed and for a build after one
# method's body changed. Prints medians, and the Leibniz generator's and analyzers' own time
# (the compiler's /reportanalyzer) for one edit-build.
#
#   benchmarks/BuildTime/run.sh [RUNS]       RUNS timed builds of each kind per project (default 5)
#
# Environment: LEIBNIZ_BUILDTIME_DIR keeps the projects there instead of a temporary folder that is
# removed at the end. The build uses the machine's defaults (the shared compiler server included),
# except that MSBuild's worker nodes are not kept alive after each build.
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

# Seconds, three decimals, that one `dotnet build` took; its output goes to a log beside the project.
timed_build() {
    local project=$1 log=$2 start end
    shift 2
    start=$(date +%s%N)
    if ! dotnet build "$project" -nologo -v:q "$@" > "$log" 2>&1; then
        cat "$log" >&2
        echo "the build of $project failed" >&2
        exit 1
    fi
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
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

# times[kind,arm]: the seconds of every timed build, space-separated.
declare -A times
for run in $(seq 1 "$runs"); do
    for arm in leibniz plain; do
        project=$work/$arm
        a=$(timed_build "$project" "$project/nochange-$run.log")
        times[nochange,$arm]+=" $a"
        edit_one_method "$project" "0.$((500 + run))"
        b=$(timed_build "$project" "$project/edit-$run.log")
        times[edit,$arm]+=" $b"
        echo "run $run/$runs $arm: no change $a s, one method edited $b s"
    done
done

# One more edit-build with the compiler's per-analyzer and per-generator report.
edit_one_method "$leibniz" "0.499"
timed_build "$leibniz" "$leibniz/report.log" -v:d -p:ReportAnalyzer=true > /dev/null

echo
echo "dotnet build, median of $runs (seconds); $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), SDK $(dotnet --version)"
printf '%-28s %10s %10s %10s\n' "" "Leibniz" "plain" "added"
for kind in nochange edit; do
    if [[ $kind == nochange ]]; then label="no change"; else label="one method edited"; fi
    l=$(echo "${times[$kind,leibniz]}" | median)
    p=$(echo "${times[$kind,plain]}" | median)
    printf '%-28s %10s %10s %10s\n' "$label" "$l" "$p" "$(awk -v a="$l" -v b="$p" 'BEGIN { printf "%+.3f", a - b }')"
done
for kind in nochange edit; do
    echo "  every $kind build: Leibniz${times[$kind,leibniz]}; plain${times[$kind,plain]}"
done
echo
echo "Leibniz in the compiler's report of one edit-build (seconds, % of all analyzers or generators):"
grep -E "Total (analyzer|generator) execution time|^ +[0-9.]+ +[<0-9]+ +Leibniz\." "$leibniz/report.log" | sed -E 's/^ +/  /'
uptime
