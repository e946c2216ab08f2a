// The GCC build's stand-in for libFuzzer's driver: runs every file of the
// target's committed corpus (and crashers, when there are any) through
// LLVMFuzzerTestOneInput once, so that ctest catches a regression in a parser
// without clang. A crash or an abort fails the test; so does an empty corpus,
// which would otherwise pass without testing anything.
//
//   fuzz_<target>                replay ONDEVICE_FUZZ_CORPUS and ONDEVICE_FUZZ_CRASHERS
//   fuzz_<target> PATH...        replay these files or folders instead

#include "FuzzInput.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cstdio>

namespace {

QStringList filesUnder(const QString& path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return { info.filePath() };
    QStringList files;
    if (!info.isDir())
        return files;
    const QDir dir(path);
    // Sorted by name, so that a failure names the same file on every run.
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden, QDir::Name))
        if (name != QLatin1String(".gitkeep"))
            files << dir.filePath(name);
    return files;
}

int replay(const QStringList& files)
{
    int count = 0;
    for (const QString& path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
            return -1;
        }
        const QByteArray data = file.readAll();
        // Named before it runs: if it crashes, this is the last line printed.
        std::fprintf(stderr, "replay %s (%lld bytes)\n", qPrintable(path), static_cast<long long>(data.size()));
        std::fflush(stderr);
        LLVMFuzzerTestOneInput(
            reinterpret_cast<const std::uint8_t*>(data.constData()), static_cast<std::size_t>(data.size()));
        ++count;
    }
    return count;
}

} // namespace

int main(int argc, char** argv)
{
    QStringList corpus;
    QStringList crashers;
    if (argc > 1) {
        for (int i = 1; i < argc; ++i)
            corpus << filesUnder(QString::fromLocal8Bit(argv[i]));
    } else {
        corpus = filesUnder(QStringLiteral(ONDEVICE_FUZZ_CORPUS));
        crashers = filesUnder(QStringLiteral(ONDEVICE_FUZZ_CRASHERS));
    }
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "no corpus files found: nothing would be tested\n");
        return 1;
    }
    const int corpusCount = replay(corpus);
    const int crasherCount = replay(crashers);
    if (corpusCount < 0 || crasherCount < 0)
        return 1;
    std::printf("%d corpus inputs and %d crashers replayed without a crash\n", corpusCount, crasherCount);
    return 0;
}
