#include "AccessPanel.h"
#include "WrappingScrollArea.h"

#include "ConnectionStatus.h"
#include "ScopeDescriber.h"
#include "TimelineModel.h"
#include "services/Workspace.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace ondevice::ui {

using auth::Connection;
using auth::ConnectionState;

namespace {

QString countdown(qint64 seconds)
{
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    return h > 0 ? QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'))
                 : QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString when(const QDateTime& at)
{
    return QLocale().toString(at.toLocalTime(), QLocale::LongFormat);
}

} // namespace

AccessPanel::AccessPanel(services::Workspace& workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_timeline(new TimelineModel(this))
{
    setObjectName(QStringLiteral("accessPanel"));
    // Everything scrolls when the window is too small for it (large text, a small screen): no value is cut off.
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("accessTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_clientType = addRow(form, tr("How this app signs in"), QStringLiteral("clientType"));
    m_tokenStore = addRow(form, tr("Refresh token kept in"), QStringLiteral("tokenStore"));
    m_binding = addRow(form, tr("Bound to"), QStringLiteral("tokenBinding"));
    m_accessToken = addRow(form, tr("Access token"), QStringLiteral("accessTokenExpiry"));
    m_lastRefresh = addRow(form, tr("Last silent refresh"), QStringLiteral("lastRefresh"));
    m_scopes = addRow(form, tr("Allowed to"), QStringLiteral("grantedScopes"));
    m_grantEnd = addRow(form, tr("Access ends"), QStringLiteral("grantEnd"));
    m_revocation = addRow(form, tr("Ending access"), QStringLiteral("revocation"));
    m_revocation->setTextFormat(Qt::RichText);
    m_revocation->setOpenExternalLinks(true);
    m_revocation->setTextInteractionFlags(Qt::TextBrowserInteraction);
    layout->addLayout(form);

    auto* buttons = new QHBoxLayout;
    const auto button
        = [this, buttons](const QString& text, const QString& name, const QString& accessible, const QString& tip) {
              auto* b = new QPushButton(text, this);
              b->setObjectName(name);
              b->setAccessibleName(accessible);
              b->setToolTip(tip);
              buttons->addWidget(b);
              return b;
          };
    m_refresh = button(tr("Refresh &now"), QStringLiteral("refreshButton"), tr("Refresh access now"),
        tr("Ask the provider for a new access token with the stored refresh token; no browser."));
    m_reconnect = button(tr("Re&connect…"), QStringLiteral("reconnectButton"), tr("Reconnect"),
        tr("Sign in again in your browser; the same patient's records are kept."));
    buttons->addStretch(1);
    m_signOut = button(tr("Sign &out…"), QStringLiteral("signOutButton"), tr("Sign out"),
        tr("End this app's access at the provider and delete the sign-in; records stay on this computer."));
    m_forget = button(tr("For&get provider…"), QStringLiteral("forgetButton"), tr("Forget provider"),
        tr("Sign out and delete this connection's records and their key from this computer."));
    layout->addLayout(buttons);

    auto* timelineLabel = new QLabel(tr("Protocol timeline"), this);
    QFont bold = timelineLabel->font();
    bold.setBold(true);
    timelineLabel->setFont(bold);
    layout->addWidget(timelineLabel);
    m_timelineView = new QTableView(this);
    m_timelineView->setObjectName(QStringLiteral("timelineView"));
    m_timelineView->setAccessibleName(tr("Protocol timeline"));
    m_timelineView->setModel(m_timeline);
    m_timelineView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timelineView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timelineView->setTabKeyNavigation(false); // one Tab stop in the page: the arrow keys move inside it
    m_timelineView->setWordWrap(false);
    m_timelineView->verticalHeader()->hide();
    m_timelineView->verticalHeader()->setDefaultSectionSize(m_timelineView->fontMetrics().height() + 8);
    m_timelineView->horizontalHeader()->setSectionResizeMode(TimelineModel::TimeColumn, QHeaderView::ResizeToContents);
    m_timelineView->horizontalHeader()->setSectionResizeMode(TimelineModel::StepColumn, QHeaderView::ResizeToContents);
    m_timelineView->horizontalHeader()->setStretchLastSection(true);
    timelineLabel->setBuddy(m_timelineView);
    m_timelineView->setMinimumHeight(m_timelineView->horizontalHeader()->sizeHint().height()
        + 6 * m_timelineView->verticalHeader()->defaultSectionSize() + 2);
    layout->addWidget(m_timelineView, 1);
    auto* scroll = new WrappingScrollArea(content, this);
    scroll->setObjectName(QStringLiteral("accessScroll"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_refresh, &QPushButton::clicked, this, [this] { Q_EMIT refreshRequested(m_id); });
    connect(m_reconnect, &QPushButton::clicked, this, [this] { Q_EMIT reconnectRequested(m_id); });
    connect(m_signOut, &QPushButton::clicked, this, [this] { Q_EMIT signOutRequested(m_id); });
    connect(m_forget, &QPushButton::clicked, this, [this] { Q_EMIT forgetRequested(m_id); });

    connect(&m_workspace, &services::Workspace::connectionChanged, this, [this](const QString& id) {
        if (id == m_id)
            updateAll();
    });
    connect(&m_workspace, &services::Workspace::connectionsChanged, this, &AccessPanel::updateAll);
    connect(&m_workspace, &services::Workspace::timelineChanged, this, [this](const QString& id) {
        if (id == m_id)
            m_timeline->setEvents(m_workspace.timeline(m_id));
    });
    // The access token's expiry counts down live.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &AccessPanel::updateCountdown);
    m_tick.start();
    updateAll();
}

QLabel* AccessPanel::addRow(QFormLayout* form, const QString& label, const QString& objectName)
{
    auto* value = new QLabel(this);
    value->setObjectName(objectName);
    value->setWordWrap(true);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // Heard as its value; the caption beside it is its buddy, which screen readers give as its label.
    auto* name = new QLabel(label, this);
    name->setBuddy(value);
    form->addRow(name, value);
    return value;
}

void AccessPanel::setConnection(const QString& id)
{
    m_id = id;
    m_timeline->setEvents(m_workspace.timeline(id));
    updateAll();
}

void AccessPanel::setPatientNames(const QHash<QString, QString>& names)
{
    if (names == m_patientNames)
        return;
    m_patientNames = names;
    updateAll();
}

void AccessPanel::updateAll()
{
    const auto c = m_workspace.connection(m_id);
    setEnabled(c.has_value());
    if (!c) {
        m_title->setText(tr("No provider selected"));
        for (QLabel* l :
            { m_clientType, m_tokenStore, m_binding, m_accessToken, m_lastRefresh, m_scopes, m_grantEnd, m_revocation })
            l->clear();
        m_timeline->setEvents({});
        return;
    }
    m_title->setText(ConnectionStatus::title(*c, m_patientNames.value(m_id)));
    if (c->usesPrivateKeyJwt())
        m_clientType->setText(tr("A client registered for this computer (client id %1): every request for new "
                                 "tokens is signed with this computer's key, and the sign-in used PKCE (S256).")
                                  .arg(c->clientId));
    else if (c->usesJwtBearer())
        m_clientType->setText(tr("A client registered for this computer (client id %1): each new access token is "
                                 "asked for with a statement signed by this computer's key; there is no refresh "
                                 "token.")
                                  .arg(c->clientId));
    else
        m_clientType->setText(tr("Public client with PKCE (S256): no client secret, the sign-in is bound to this "
                                 "computer's one-time proof. Client id %1.")
                                  .arg(c->clientId));
    if (m_workspace.isSessionOnly())
        m_tokenStore->setText(tr("This app's memory only (temporary session): nothing is saved on this computer."));
    else if (c->state == ConnectionState::SignedOut)
        m_tokenStore->setText(tr("Nowhere: you signed out and the sign-in was deleted from %1.")
                                  .arg(auth::SecretStore::platformStoreName()));
    else if (c->usesJwtBearer())
        m_tokenStore->setText(tr("None on this route: each access token is asked for with this computer's key, "
                                 "kept in %1.")
                                  .arg(auth::SecretStore::platformStoreName()));
    else
        m_tokenStore->setText(auth::SecretStore::platformStoreName());
    // What binding buys, and what it does not (docs/threat-model.md, "Other software running as the user").
    if (c->isRegisteredClient())
        m_binding->setText(tr("This computer's key (%1, thumbprint %2…)%3: the provider knows this computer's "
                              "registration by it, and nothing from here is usable elsewhere without it. The key is "
                              "kept in %4, so software running as you could still take it.")
                               .arg(c->keyAlgorithm, c->keyThumbprint.left(8),
                                   c->isDpopBound() ? tr(", with DPoP proofs on every request") : QString(),
                                   auth::SecretStore::platformStoreName()));
    else if (c->isDpopBound())
        m_binding->setText(tr("This computer's key (%1, thumbprint %2…): a copy of the refresh token is useless "
                              "anywhere else. The key is kept in %3 beside the refresh token, so software running "
                              "as you could still take both.")
                               .arg(c->keyAlgorithm, c->keyThumbprint.left(8), auth::SecretStore::platformStoreName()));
    else
        m_binding->setText(tr("Not bound to this computer: this provider issues plain Bearer tokens, which work for "
                              "whoever holds them."));

    if (c->lastRefresh.isValid())
        m_lastRefresh->setText(tr("%1 — %2").arg(when(c->lastRefresh),
            c->lastRefreshResult.startsWith(QLatin1String("ok")) ? tr("succeeded (%1)").arg(c->lastRefreshResult)
                                                                 : tr("failed (%1)").arg(c->lastRefreshResult)));
    else
        m_lastRefresh->setText(tr("Not yet"));

    const QStringList scopes = ScopeDescriber::describeAll(c->grantedScopes);
    m_scopes->setText(scopes.isEmpty() ? tr("(the provider did not say)")
                                       : QStringLiteral("• ") + scopes.join(QStringLiteral("\n• ")));
    m_scopes->setToolTip(c->grantedScopes.join(QLatin1Char(' ')));

    if (c->state == ConnectionState::SignedOut)
        m_grantEnd->setText(tr("Ended: you signed out. Your records stay on this computer."));
    else if (c->state == ConnectionState::NeedsReconnect)
        m_grantEnd->setText(tr("Ended by the provider. Reconnect to keep your records up to date."));
    else if (c->usesJwtBearer())
        m_grantEnd->setText(tr("Until you sign out or the provider ends this computer's registration."));
    else if (!c->refreshTokenIssued)
        m_grantEnd->setText(c->accessExpiry.isValid()
                ? tr("The provider did not let this app stay signed in: you will need to sign in again on %1.")
                      .arg(when(c->accessExpiry))
                : tr("The provider did not let this app stay signed in: you will need to sign in again."));
    else if (c->grantEnd.isValid())
        m_grantEnd->setText(
            tr("%1 (as the provider set it; reconnect before then to extend it)").arg(when(c->grantEnd)));
    else
        m_grantEnd->setText(tr("The provider did not say; access lasts until you or the provider end it."));

    if (c->usesJwtBearer())
        m_revocation->setText(
            tr("Sign out deletes this computer's registration at the provider, which ends this app's access.")
                .toHtmlEscaped());
    else if (c->revocationEndpoint.isValid())
        m_revocation->setText(
            tr("Sign out ends this app's access at the provider (it supports revocation).").toHtmlEscaped());
    else if (c->managementEndpoint.isValid())
        m_revocation->setText(tr("This provider offers no way for apps to end access. End it yourself at %1.")
                                  .toHtmlEscaped()
                                  .arg(QStringLiteral("<a href=\"%1\">%2</a>")
                                           .arg(c->managementEndpoint.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                               c->managementEndpoint.toDisplayString().toHtmlEscaped())));
    else
        m_revocation->setText(tr("This provider offers no way for apps to end access: Sign out only deletes the "
                                 "sign-in from this computer. End access in the provider's patient portal.")
                                  .toHtmlEscaped());

    const bool connected = c->state == ConnectionState::Connected || c->state == ConnectionState::Offline;
    m_refresh->setEnabled(connected && c->staysConnected());
    m_signOut->setEnabled(c->state != ConnectionState::SignedOut);
    m_reconnect->setDefault(!connected);
    updateCountdown();
}

void AccessPanel::updateCountdown()
{
    const auto c = m_workspace.connection(m_id);
    if (!c)
        return;
    const auth::Session* session = m_workspace.session(m_id);
    const QDateTime expiry = session && session->hasAccessToken() ? session->accessExpiry() : QDateTime();
    if (!expiry.isValid()) {
        m_accessToken->setText(c->state == ConnectionState::Connected || c->state == ConnectionState::Offline
                ? tr("None in memory yet; the next request gets one silently.")
                : tr("None."));
        return;
    }
    const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expiry);
    if (left <= 0)
        m_accessToken->setText(tr("Expired; the next request refreshes it silently."));
    else
        m_accessToken->setText(
            tr("Expires in %1 (at %2), kept in memory only; refreshed before it expires.")
                .arg(countdown(left), QLocale().toString(expiry.toLocalTime().time(), QLocale::ShortFormat)));
}

} // namespace ondevice::ui
