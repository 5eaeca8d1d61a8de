// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the inline task of Leibniz.targets,
// and by the test project (with LEIBNIZ_NATIVE_FIX_TESTS defined) to test the ELF logic alone.
// It must therefore compile against netstandard2.0 with no package beyond MSBuild's own.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace Leibniz.Build
{
    /// <summary>The outcome of looking at one shared library.</summary>
    public enum WeakenOutcome
    {
        /// <summary>The library does not require the version at all.</summary>
        NotRequired,
        /// <summary>The requirement was already weak; the file was left untouched.</summary>
        AlreadyWeak,
        /// <summary>The requirement was made weak.</summary>
        Weakened,
    }

    /// <summary>
    /// Marks one symbol-version requirement of an ELF64 little-endian shared library as weak
    /// (<c>VER_FLG_WEAK</c> in <c>vna_flags</c> of its <c>Elf64_Vernaux</c> record), so that the
    /// dynamic loader tolerates its absence.
    /// </summary>
    /// <remarks>
    /// TorchSharp's shim <c>libLibTorchSharp.so</c> was linked by GCC 13 and so lists
    /// <c>GLIBCXX_3.4.32</c>, whose only symbol (<c>std::ios_base_library_init</c>) nothing calls.
    /// Debian 12's libstdc++ stops at 3.4.30. A missing weak version is not fatal to glibc's loader.
    /// </remarks>
    public static class ElfVersionRequirement
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        /// <summary>Whether <paramref name="bytes"/> contains the ASCII text <paramref name="text"/>.</summary>
        public static bool Contains(byte[] bytes, string text)
        {
            var needle = Encoding.ASCII.GetBytes(text);
            for (var i = 0; i + needle.Length <= bytes.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && bytes[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }

        /// <summary>
        /// Sets the weak flag on every <c>Elf64_Vernaux</c> record named <paramref name="version"/>.
        /// </summary>
        /// <exception cref="InvalidDataException">The bytes are not a well-formed ELF64 little-endian file.</exception>
        public static WeakenOutcome Weaken(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file (bad magic number)");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"not a 64-bit little-endian ELF file (class {elf[4]}, data {elf[5]})");

            var sectionTable = checked((long)U64(elf, 0x28));
            var sectionSize = U16(elf, 0x3A);
            var sectionCount = U16(elf, 0x3C);
            if (sectionSize < 64 || sectionTable + (long)sectionSize * sectionCount > elf.Length)
                throw new InvalidDataException("the section header table lies outside the file");

            var found = false;
            var allWeak = true;
            for (var s = 0; s < sectionCount; s++)
            {
                var header = sectionTable + (long)s * sectionSize;
                if (U32(elf, header + 4) != ShtGnuVerneed) continue;

                var offset = (long)U64(elf, header + 24);
                var link = U32(elf, header + 40);
                var needCount = U32(elf, header + 44);
                if (link >= sectionCount) throw new InvalidDataException("the version-needs section links to no string table");
                var strings = (long)U64(elf, sectionTable + (long)link * sectionSize + 24);

                var need = offset;
                for (var n = 0; n < needCount; n++)
                {
                    var auxCount = U16(elf, need + 2);
                    var aux = need + U32(elf, need + 8);
                    for (var a = 0; a < auxCount; a++)
                    {
                        var name = CString(elf, strings + U32(elf, aux + 8));
                        if (name == version)
                        {
                            found = true;
                            var flags = U16(elf, aux + 4);
                            if ((flags & VerFlagWeak) == 0)
                            {
                                allWeak = false;
                                flags |= VerFlagWeak;
                                elf[aux + 4] = (byte)(flags & 0xff);
                                elf[aux + 5] = (byte)(flags >> 8);
                            }
                        }
                        aux += U32(elf, aux + 12);
                    }
                    need += U32(elf, need + 12);
                }
            }

            if (!found) return WeakenOutcome.NotRequired;
            return allWeak ? WeakenOutcome.AlreadyWeak : WeakenOutcome.Weakened;
        }

        /// <summary>Whether some <c>Elf64_Vernaux</c> record named <paramref name="version"/> lacks the weak flag.</summary>
        public static bool RequiresStrongly(byte[] elf, string version)
        {
            var copy = (byte[])elf.Clone();
            return Weaken(copy, version) == WeakenOutcome.Weakened;
        }

        static ushort U16(byte[] b, long at) { Check(b, at, 2); return (ushort)(b[at] | b[at + 1] << 8); }
        static uint U32(byte[] b, long at) { Check(b, at, 4); return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }
        static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

        static void Check(byte[] b, long at, int length)
        {
            if (at < 0 || at + length > b.Length)
                throw new InvalidDataException($"a version record points outside the file (offset {at})");
        }

        static string CString(byte[] b, long at)
        {
            var end = at;
            while (end < b.Length && b[end] != 0) end++;
            if (end >= b.Length) throw new InvalidDataException($"an unterminated name at offset {at}");
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

#if !LEIBNIZ_NATIVE_FIX_TESTS
    /// <summary>
    /// Makes TorchSharp's native shim load on systems whose libstdc++ predates GCC 13.2 by weakening
    /// its <c>GLIBCXX_3.4.32</c> requirement — in a copy, never in the NuGet cache.
    /// </summary>
    public sealed class LeibnizNativeLoadFix : Microsoft.Build.Utilities.Task
    {
        const string Version = "GLIBCXX_3.4.32";
        const string PatchedCopyMetadata = "LeibnizPatchedCopy";

        /// <summary>
        /// Copies of <c>libLibTorchSharp.so</c>. With <c>LeibnizPatchedCopy</c> metadata, the library is written
        /// there (weakened where the system needs it, as shipped otherwise); without it, it is weakened where it lies.
        /// </summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Where to look for the system's libstdc++, first match wins.</summary>
        [Microsoft.Build.Framework.Required]
        public string SystemLibStdCxxCandidates { get; set; } = "";

        public override bool Execute()
        {
            string? systemLibrary = null;
            foreach (var candidate in SystemLibStdCxxCandidates.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (File.Exists(candidate.Trim())) { systemLibrary = candidate.Trim(); break; }
            }
            bool patch;
            if (systemLibrary == null)
            {
                patch = false;
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "Leibniz: no system libstdc++.so.6 found in the usual places; TorchSharp's native library is left as shipped.");
            }
            else if (ElfVersionRequirement.Contains(File.ReadAllBytes(systemLibrary), Version))
            {
                patch = false;
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    $"Leibniz: {systemLibrary} provides {Version}; TorchSharp's native library loads as shipped.");
            }
            else
            {
                patch = true;
            }

            foreach (var item in Libraries)
            {
                var path = item.ItemSpec;
                var copy = item.GetMetadata(PatchedCopyMetadata);
                if (!File.Exists(path)) continue;
                if (!patch && copy.Length == 0) continue;
                try
                {
                    var bytes = File.ReadAllBytes(path);
                    var outcome = patch ? ElfVersionRequirement.Weaken(bytes, Version) : WeakenOutcome.NotRequired;
                    if (copy.Length == 0 && outcome != WeakenOutcome.Weakened) continue;

                    var destination = copy.Length == 0 ? path : copy;
                    Replace(path, destination, bytes);
                    if (outcome == WeakenOutcome.Weakened)
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"Leibniz: marked {Version} weak in {Path.GetFullPath(destination)} ({systemLibrary} lacks it; nothing calls its one symbol).");
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogError(
                        $"Leibniz: TorchSharp's native library {path} requires {Version}, which {systemLibrary} lacks, " +
                        $"and it could not be patched: {e.Message}. Install a libstdc++6 that provides {Version} " +
                        "(GCC 13.2 or newer, as in Debian 13 or Ubuntu 24.04), make the output folder writable, " +
                        "or set LeibnizNativeLoadFixEnabled to false to leave the library as shipped.");
                    return false;
                }
            }
            return !Log.HasLoggedErrors;
        }

        /// <summary>
        /// Puts <paramref name="bytes"/> at <paramref name="destination"/> as a new file with <paramref name="source"/>'s
        /// permissions. Never a write through an existing file: an output copy may be a hard link into the NuGet cache.
        /// </summary>
        static void Replace(string source, string destination, byte[] bytes)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(destination));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            var fresh = destination + ".leibniz-" + Guid.NewGuid().ToString("N");
            try
            {
                File.Copy(source, fresh);
                File.WriteAllBytes(fresh, bytes);
                if (File.Exists(destination)) File.Delete(destination);
                File.Move(fresh, destination);
            }
            finally
            {
                if (File.Exists(fresh)) File.Delete(fresh);
            }
        }
    }
#endif
}
