#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace ondevice::testing {

// Starts `ondevice-sandbox --port 0` (path from ONDEVICE_SANDBOX_EXE, set by
// ctest) and reads its one stdout line. The sandbox dies with the test
// process (PR_SET_PDEATHSIG on Linux) and is terminated by the destructor.
class SandboxProcess {
public:
    SandboxProcess() = default;
    ~SandboxProcess();
    SandboxProcess(const SandboxProcess&) = delete;
    SandboxProcess& operator=(const SandboxProcess&) = delete;

    // Empty on success, else what went wrong (with the sandbox's stderr).
    QString start(const QStringList& extraArguments = {}, int timeoutMs = 15000);
    void stop();

    QUrl fhirBase() const { return m_fhirBase; }
    QUrl adminBase() const { return m_adminBase; }
    QUrl issuer() const { return m_issuer; }
    qint64 pid() const { return m_pid; }
    QJsonObject announcement() const { return m_announcement; }
    QByteArray standardError();

    static QString executable();

private:
    QProcess m_process;
    QJsonObject m_announcement;
    QUrl m_fhirBase;
    QUrl m_adminBase;
    QUrl m_issuer;
    qint64 m_pid = 0;
};

} // namespace ondevice::testing
