#include "SandboxProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

#if defined(Q_OS_LINUX)
#include <csignal>
#include <sys/prctl.h>
#endif

namespace ondevice::testing {

SandboxProcess::~SandboxProcess()
{
    stop();
}

QString SandboxProcess::executable()
{
    return qEnvironmentVariable("ONDEVICE_SANDBOX_EXE");
}

QByteArray SandboxProcess::standardError()
{
    return m_process.readAllStandardError();
}

QString SandboxProcess::start(const QStringList& extraArguments, int timeoutMs)
{
    const QString program = executable();
    if (program.isEmpty())
        return QStringLiteral("ONDEVICE_SANDBOX_EXE is not set (run the test through ctest)");
#if defined(Q_OS_LINUX)
    // The sandbox stops by itself when the test process dies, even on SIGKILL.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.setProgram(program);
    m_process.setArguments(QStringList { QStringLiteral("--port"), QStringLiteral("0") } + extraArguments);
    m_process.start();
    if (!m_process.waitForStarted(timeoutMs))
        return QStringLiteral("sandbox did not start: ") + m_process.errorString();

    const QDeadlineTimer deadline(timeoutMs);
    while (!m_process.canReadLine()) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired())
            return QStringLiteral("sandbox printed no first line: ")
                + QString::fromUtf8(m_process.readAllStandardError());
        m_process.waitForReadyRead(100);
    }
    const QByteArray line = m_process.readLine().trimmed();
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (!document.isObject())
        return QStringLiteral("sandbox's first line is not a JSON object: ") + error.errorString();
    m_announcement = document.object();
    m_fhirBase = QUrl(m_announcement.value(QStringLiteral("fhir_base")).toString());
    m_adminBase = QUrl(m_announcement.value(QStringLiteral("admin_base")).toString());
    m_issuer = QUrl(m_announcement.value(QStringLiteral("issuer")).toString());
    m_pid = m_announcement.value(QStringLiteral("pid")).toInteger();
    if (!m_fhirBase.isValid() || !m_adminBase.isValid() || m_pid <= 0)
        return QStringLiteral("sandbox's first line lacks fhir_base, admin_base or pid");
    return {};
}

void SandboxProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

} // namespace ondevice::testing
