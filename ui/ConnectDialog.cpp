#include "ConnectDialog.h"
#include "core/Continuations.h"

#include "BrandLogos.h"
#include "BrandPicker.h"
#include "DirectoriesDialog.h"
#include "MessageBar.h"
#include "ScopeDescriber.h"
#include "ScreenFit.h"
#include "WrappingScrollArea.h"
#include "services/Workspace.h"

#include "auth/ClientRegistration.h"
#include "auth/SecretStore.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace ondevice::ui {

using namespace ondevice::auth;

namespace {

QLabel* wrapped(QWidget* parent, const QString& objectName = {})
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

// A page of the dialog: its body scrolls when the dialog is too small for it (large text, a small screen), its
// buttons stay in view below.
QWidget* pageWithButtons(QWidget* body, QLayout* buttons, QWidget* parent)
{
    auto* page = new QWidget(parent);
    auto* scroll = new WrappingScrollArea(body, page);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    return page;
}

QPushButton* button(QWidget* parent, const QString& text, const QString& objectName, const QString& accessible)
{
    auto* b = new QPushButton(text, parent);
    b->setObjectName(objectName);
    b->setAccessibleName(accessible);
    // Enter presses the page's default button (showPage()), not whichever button last had focus.
    b->setAutoDefault(false);
    return b;
}

} // namespace

ConnectDialog::ConnectDialog(services::Workspace& workspace, const QUrl& sandbox, QWidget* parent, BrandLogos* logos)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_presets(ProviderPresets::load(sandbox))
    , m_logos(logos ? logos
                    : new BrandLogos(workspace.network(), workspace.brandDirectory() + QStringLiteral("/logos"), this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect a provider"));
    setAccessibleName(tr("Connect a provider"));
    auto* layout = new QVBoxLayout(this);
    m_messages = new MessageBar(this);
    layout->addWidget(m_messages);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildChoosePage());
    m_pages->addWidget(buildReviewPage());
    m_pages->addWidget(buildWaitingPage());
    layout->addWidget(m_pages, 1);
    // Tall enough for a few cards and the presets, never taller than the screen (the pages scroll).
    resize(fittingSize(this, QSize(720, 720)));
    selectPreset(0);
    showPage(Page::Choose);
    m_brands->reload();
}

QWidget* ConnectDialog::buildChoosePage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* intro = wrapped(page);
    intro->setText(tr("Choose where your records are. You will sign in at the provider in your browser; this app "
                      "never sees your password."));
    layout->addWidget(intro);

    // The sandbox serves a directory of its own ({origin}/brands): offered, never added without a click.
    QUrl demoDirectory;
    for (const ProviderPreset& p : std::as_const(m_presets))
        if (p.id == QLatin1String("sandbox"))
            demoDirectory = p.fhirBase.resolved(QUrl(QStringLiteral("/brands")));
    m_brands = new BrandPicker(m_workspace.brandSources(), *m_logos, demoDirectory, page);
    layout->addWidget(m_brands, 1);
    connect(m_brands, &BrandPicker::picked, this, &ConnectDialog::pickBrand);
    connect(m_brands, &BrandPicker::manageDirectories, this, &ConnectDialog::manageDirectories);

    m_presetModel = new QStandardItemModel(this);
    for (const ProviderPreset& p : std::as_const(m_presets)) {
        auto* item = new QStandardItem(p.needsRegistration ? tr("%1 — needs registration").arg(p.name) : p.name);
        item->setToolTip(p.note);
        item->setEditable(false);
        m_presetModel->appendRow(item);
    }
    auto* custom = new QStandardItem(tr("Another FHIR server…"));
    custom->setEditable(false);
    custom->setToolTip(tr("Any SMART on FHIR server: enter its FHIR base address and the client id you registered."));
    m_presetModel->appendRow(custom);
    m_presetList = new QListView(page);
    m_presetList->setObjectName(QStringLiteral("presetList"));
    m_presetList->setAccessibleName(tr("Providers"));
    m_presetList->setModel(m_presetModel);
    m_presetList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    const int rows = m_presetModel->rowCount();
    m_presetList->setMinimumHeight(rows * (fontMetrics().height() + 8) + 8);
    m_presetList->setMaximumHeight(rows * (fontMetrics().height() + 8) + 8);
    connect(m_presetList->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { selectPreset(current.row()); });
    auto* providersLabel = new QLabel(tr("Or choose a &provider"), page);
    providersLabel->setBuddy(m_presetList);
    layout->addWidget(providersLabel);
    layout->addWidget(m_presetList);

    m_presetNote = wrapped(page, QStringLiteral("presetNote"));
    layout->addWidget(m_presetNote);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_url = new QLineEdit(page);
    m_url->setObjectName(QStringLiteral("fhirUrlEdit"));
    m_url->setAccessibleName(tr("FHIR server address"));
    m_url->setPlaceholderText(tr("https://fhir.example.org/r4"));
    form->addRow(tr("FHIR &server address"), m_url);
    m_clientId = new QLineEdit(page);
    m_clientId->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientId->setAccessibleName(tr("Client id"));
    m_clientId->setPlaceholderText(tr("The client id registered with this provider"));
    form->addRow(tr("&Client id"), m_clientId);
    m_port = new QSpinBox(page);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setAccessibleName(tr("Registered loopback port"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("Any free port"));
    m_port->setToolTip(tr("The port of the redirect URI http://127.0.0.1:PORT/callback registered with this "
                          "provider; \"Any free port\" for providers that follow RFC 8252."));
    form->addRow(tr("Registered p&ort"), m_port);
    layout->addLayout(form);
    // An address typed by hand is not the brand's any more.
    connect(m_url, &QLineEdit::textEdited, this, [this] {
        m_brandName.clear();
        m_brandLogo.clear();
    });

    m_advancedToggle = new QToolButton(page);
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("&Advanced settings"));
    m_advancedToggle->setAccessibleName(tr("Advanced settings"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    layout->addWidget(m_advancedToggle);
    m_advanced = new QWidget(page);
    auto* advancedForm = new QFormLayout(m_advanced);
    advancedForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_scope = new QLineEdit(m_advanced);
    m_scope->setObjectName(QStringLiteral("scopeEdit"));
    m_scope->setAccessibleName(tr("Scopes to request"));
    m_scope->setPlaceholderText(tr("What the server supports (from discovery)"));
    advancedForm->addRow(tr("Scop&es"), m_scope);
    m_allowHttp = new QCheckBox(tr("Allow http:// for servers not on this computer"), m_advanced);
    m_allowHttp->setObjectName(QStringLiteral("allowHttpCheck"));
    m_allowHttp->setAccessibleName(tr("Allow http for servers that are not on this computer"));
    advancedForm->addRow(m_allowHttp);
    QLabel* httpNote = wrapped(m_advanced);
    httpNote->setText(tr("For developers only: tokens would cross the network unencrypted."));
    httpNote->setForegroundRole(QPalette::PlaceholderText);
    advancedForm->addRow(httpNote);
    m_advanced->hide();
    layout->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advanced->setVisible(open);
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* cancel = button(page, tr("Cancel"), QStringLiteral("cancelButton"), tr("Cancel"));
    m_check = button(page, tr("C&heck server"), QStringLiteral("checkServerButton"), tr("Check server"));
    buttons->addWidget(cancel);
    buttons->addWidget(m_check);
    connect(cancel, &QPushButton::clicked, this, &ConnectDialog::reject);
    connect(m_check, &QPushButton::clicked, this, &ConnectDialog::checkServer);
    return pageWithButtons(page, buttons, this);
}

QWidget* ConnectDialog::buildReviewPage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* heading = new QLabel(tr("What this server offers"), page);
    QFont bold = heading->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    heading->setFont(bold);
    layout->addWidget(heading);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    const auto row = [&](const QString& label, const QString& name) {
        QLabel* value = wrapped(page, name);
        form->addRow(label, value); // the caption: a label whose buddy is the value, heard as its text
        return value;
    };
    m_server = row(tr("Server"), QStringLiteral("discoveredServer"));
    m_offline = row(tr("Staying signed in"), QStringLiteral("discoveredOffline"));
    m_signInAt = row(tr("You sign in at"), QStringLiteral("discoveredSignInAt"));
    m_pkce = row(tr("Sign-in protection"), QStringLiteral("discoveredPkce"));
    m_identity = row(tr("Identity check"), QStringLiteral("discoveredIdentity"));
    m_binding = row(tr("Bound to this computer"), QStringLiteral("discoveredBinding"));
    m_revocation = row(tr("Ending access"), QStringLiteral("discoveredRevocation"));
    m_scopeToRequest = row(tr("This app will ask to"), QStringLiteral("discoveredScope"));
    layout->addLayout(form);
    m_reviewNote = wrapped(page, QStringLiteral("reviewNote"));
    layout->addWidget(m_reviewNote);
    layout->addStretch(1);
    auto* buttons = new QHBoxLayout;
    auto* back = button(page, tr("&Back"), QStringLiteral("backButton"), tr("Back"));
    buttons->addWidget(back);
    buttons->addStretch(1);
    auto* cancel = button(page, tr("Cancel"), QStringLiteral("reviewCancelButton"), tr("Cancel"));
    m_signIn = button(
        page, tr("&Sign in with your browser"), QStringLiteral("signInButton"), tr("Sign in with your browser"));
    buttons->addWidget(cancel);
    buttons->addWidget(m_signIn);
    connect(back, &QPushButton::clicked, this, [this] {
        m_messages->clear();
        showPage(Page::Choose);
    });
    connect(cancel, &QPushButton::clicked, this, &ConnectDialog::reject);
    connect(m_signIn, &QPushButton::clicked, this, &ConnectDialog::signIn);
    return pageWithButtons(page, buttons, this);
}

QWidget* ConnectDialog::buildWaitingPage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    m_waitingText = wrapped(page, QStringLiteral("waitingText"));
    m_waitingText->setAlignment(Qt::AlignCenter);
    QFont bigger = m_waitingText->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.2);
    m_waitingText->setFont(bigger);
    m_waitingText->setText(tr("Waiting for you to approve in your browser…"));
    layout->addWidget(m_waitingText);
    auto* busy = new QProgressBar(page);
    busy->setRange(0, 0);
    busy->setTextVisible(false);
    busy->setAccessibleName(tr("Waiting for the browser"));
    layout->addWidget(busy);
    auto* hint = wrapped(page);
    hint->setAlignment(Qt::AlignCenter);
    hint->setText(tr("Sign in at your provider and approve access. Then come back here: the rest happens by itself."));
    layout->addWidget(hint);
    layout->addStretch(1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* cancel = button(page, tr("Cancel"), QStringLiteral("cancelWaitButton"), tr("Cancel sign-in"));
    buttons->addWidget(cancel);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, [this] { m_workspace.cancelConnect(); });
    return page;
}

void ConnectDialog::selectPreset(int row)
{
    if (row < 0)
        return;
    m_brandName.clear();
    m_brandLogo.clear();
    if (m_presetList->currentIndex().row() != row)
        m_presetList->setCurrentIndex(m_presetModel->index(row, 0));
    if (row < m_presets.size()) {
        const ProviderPreset& p = m_presets.at(row);
        m_url->setText(p.fhirBase.toString());
        m_clientId->setText(p.clientId);
        m_port->setValue(p.port);
        m_presetNote->setText(p.note);
    } else {
        m_url->clear();
        m_clientId->clear();
        m_port->setValue(0);
        m_presetNote->setText(tr("Enter the server's FHIR base address, and the client id and loopback port you "
                                 "registered with it."));
    }
    m_presetNote->setVisible(!m_presetNote->text().isEmpty());
}

void ConnectDialog::pickBrand()
{
    const auto brand = m_brands->currentBrand();
    const QUrl base = m_brands->currentFhirBase();
    if (!brand || !base.isValid())
        return;
    {
        // Not a preset any more; but a preset at the same server lends its client id and port.
        const QSignalBlocker quiet(m_presetList->selectionModel());
        m_presetList->clearSelection();
        m_presetList->setCurrentIndex({});
    }
    const auto preset = std::find_if(m_presets.cbegin(), m_presets.cend(), [&base](const ProviderPreset& p) {
        return p.fhirBase.scheme() == base.scheme() && p.fhirBase.host() == base.host()
            && p.fhirBase.port() == base.port();
    });
    m_url->setText(base.toString());
    if (preset != m_presets.cend()) {
        m_clientId->setText(preset->clientId);
        m_port->setValue(preset->port);
    }
    m_brandName = brand->name;
    m_brandLogo = brand->logo;
    m_presetNote->setText(m_clientId->text().trimmed().isEmpty()
            ? tr("%1: enter the client id you registered with this provider, then check the server.").arg(brand->name)
            : tr("%1, at %2.").arg(brand->name, base.host()));
    m_presetNote->show();
}

void ConnectDialog::manageDirectories()
{
    auto* dialog = new DirectoriesDialog(m_workspace.brandSources(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DirectoriesDialog::changed, m_brands, &BrandPicker::reload);
    dialog->open();
}

void ConnectDialog::startReconnect(const Connection& connection)
{
    m_reconnectId = connection.id;
    setWindowTitle(tr("Reconnect %1").arg(connection.fhirBase.host()));
    m_presetList->setEnabled(false);
    m_brands->hide();
    m_url->setText(connection.fhirBase.toString());
    m_url->setReadOnly(true);
    m_clientId->setText(connection.clientId);
    m_port->setValue(connection.redirectPort);
    m_presetNote->setText(
        tr("Sign in again as patient %1. Your records and their key stay as they are.").arg(connection.patientId));
    m_presetNote->show();
    checkServer();
}

ConnectDialog::Page ConnectDialog::page() const
{
    return static_cast<Page>(m_pages->currentIndex());
}

void ConnectDialog::showPage(Page page)
{
    m_pages->setCurrentIndex(static_cast<int>(page));
    // One default button per page: Check server until discovery succeeds, then Sign in.
    if (page == Page::Choose) {
        m_check->setDefault(true);
        m_check->setFocus();
    } else if (page == Page::Review) {
        m_signIn->setDefault(true);
        m_signIn->setFocus();
    }
}

DiscoveryOptions ConnectDialog::discoveryOptions() const
{
    return DiscoveryOptions { m_allowHttp->isChecked() };
}

QUrl ConnectDialog::enteredUrl() const
{
    return QUrl::fromUserInput(m_url->text().trimmed());
}

void ConnectDialog::checkServer()
{
    m_messages->clear();
    const QUrl url = enteredUrl();
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        m_messages->showMessage(
            MessageBar::Kind::Error, tr("Enter the FHIR server's address, starting with https://."));
        m_url->setFocus();
        return;
    }
    if (m_clientId->text().trimmed().isEmpty()) {
        m_messages->showMessage(MessageBar::Kind::Error,
            tr("Enter the client id you registered with %1. Providers give it when you register this app.")
                .arg(url.host()));
        m_clientId->setFocus();
        return;
    }
    // No point in signing in when the sign-in could not be kept.
    if (const auto problem = m_workspace.keychainProblem()) {
        showKeychainChoice(problem->message, false);
        return;
    }
    m_check->setEnabled(false);
    m_messages->showMessage(MessageBar::Kind::Info, tr("Asking %1 what it offers…").arg(url.host()));
    m_workspace.discover(url, discoveryOptions())
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const AuthResult<SmartConfiguration>& found) {
            m_check->setEnabled(true);
            if (!found) {
                m_messages->showMessage(
                    MessageBar::Kind::Error, found.failure().message, tr("Try again"), [this] { checkServer(); });
                showPage(Page::Choose);
                return;
            }
            m_messages->clear();
            showReview(found.value());
        }));
}

void ConnectDialog::showReview(const SmartConfiguration& config)
{
    m_configuration = config;
    const QString server = config.issuer.isEmpty() || QUrl(config.issuer).host() == config.fhirBase.host()
        ? config.fhirBase.host()
        : tr("%1 (signs in at %2)").arg(config.fhirBase.host(), QUrl(config.issuer).host());
    m_server->setText(m_brandName.isEmpty() ? server : tr("%1, at %2").arg(m_brandName, server));
    m_offline->setText(config.offersOfflineAccess()
            ? tr("Offered: after this sign-in, the app can keep your records up to date without asking again.")
            : tr("Not offered: you will need to sign in again when access ends (often within an hour)."));
    m_signInAt->setText(config.authorizationEndpoint.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveFragment));
    m_pkce->setText(tr("PKCE with S256: only this app, on this computer, can finish the sign-in."));
    m_identity->setText(config.jwksUri.isValid()
            ? tr("Who signed in is checked against the server's published signing keys (OpenID Connect).")
            : tr("The server publishes no signing keys: who signed in cannot be checked."));
    const auth::ClientRoute route = auth::chooseClientRoute(config);
    m_binding->setText(route != auth::ClientRoute::Public
            ? tr("Yes: this computer will be registered with the provider by a key made here, and every request "
                 "for new tokens is signed with it, so a copy of the sign-in is useless anywhere else.")
            : config.offersDpop()
            ? tr("Yes (DPoP): the sign-in will be bound to a key made on this computer, so a copy of it is useless "
                 "anywhere else.")
            : tr("Not offered: the sign-in works for whoever holds it, so it is kept only in %1.")
                  .arg(m_workspace.isSessionOnly() ? tr("this app's memory") : SecretStore::platformStoreName()));
    m_revocation->setText(config.revocationEndpoint.isValid()
            ? tr("Supported: Sign out ends this app's access at the provider.")
            : config.managementEndpoint.isValid()
            ? tr("Not supported by the app; you can end access at %1.").arg(config.managementEndpoint.toDisplayString())
            : tr("Not supported: end access in the provider's patient portal when you are done."));
    const QString scope = m_scope->text().trimmed().isEmpty() ? config.defaultScope() : m_scope->text().trimmed();
    if (m_scope->text().trimmed().isEmpty())
        m_scope->setPlaceholderText(config.defaultScope());
    m_scopeToRequest->setText(QStringLiteral("• ")
        + ScopeDescriber::describeAll(scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)).join(QStringLiteral("\n• ")));
    m_scopeToRequest->setToolTip(scope);
    m_reviewNote->setText(tr("Your browser opens at %1. Nothing is stored until you approve there; then the "
                             "sign-in is kept in %2.")
                              .arg(QUrl(config.issuer.isEmpty() ? config.fhirBase.toString() : config.issuer).host(),
                                  m_workspace.isSessionOnly() ? tr("this app's memory only (temporary session)")
                                                              : SecretStore::platformStoreName()));
    showPage(Page::Review);
}

void ConnectDialog::signIn()
{
    if (const auto problem = m_workspace.keychainProblem()) {
        showKeychainChoice(problem->message, true);
        return;
    }
    m_messages->clear();
    ConnectRequest request;
    request.fhirBase = enteredUrl();
    request.clientId = m_clientId->text().trimmed();
    request.redirectPort = static_cast<quint16>(m_port->value());
    request.scope = m_scope->text().trimmed();
    request.reconnectId = m_reconnectId;
    request.configuration = m_configuration; // what the Review page showed: not fetched again
    request.brandName = m_brandName;
    request.brandLogo = m_brandLogo;
    m_waiting = true;
    showPage(Page::Waiting);
    m_workspace.connectProvider(request, discoveryOptions())
        .then(compat::continuationContext(), compat::ifAlive(this, [this](const AuthResult<ConnectOutcome>& outcome) {
            m_waiting = false;
            if (outcome) {
                Q_EMIT connected(outcome.value().connection.id, outcome.value().isNew);
                accept();
                return;
            }
            showPage(Page::Review);
            switch (outcome.code()) {
            case AuthError::Cancelled:
                m_messages->showMessage(MessageBar::Kind::Info, outcome.failure().message);
                break;
            case AuthError::Keychain:
                showKeychainChoice(outcome.failure().message, true);
                break;
            case AuthError::PatientChanged:
                // Shown before anything is replaced: the stored connection is untouched.
                m_messages->showMessage(MessageBar::Kind::Warning, outcome.failure().message);
                break;
            case AuthError::Discovery:
                showPage(Page::Choose);
                m_messages->showMessage(MessageBar::Kind::Error, outcome.failure().message);
                break;
            default:
                m_messages->showMessage(
                    MessageBar::Kind::Error, outcome.failure().message, tr("Try again"), [this] { signIn(); });
                break;
            }
        }));
}

void ConnectDialog::showKeychainChoice(const QString& why, bool thenSignIn)
{
    m_messages->showMessage(MessageBar::Kind::Error,
        tr("%1 cannot keep your sign-in: %2 You can continue for this session only: your sign-in stays in this "
           "app's memory and your records in a temporary encrypted file, both gone when you close the app; you will "
           "need to sign in again next time.")
            .arg(SecretStore::platformStoreName(), why),
        tr("Continue for this session only"), [this, thenSignIn] {
            m_workspace.continueSessionOnly();
            m_messages->clear();
            if (thenSignIn && m_configuration)
                signIn();
            else
                checkServer();
        });
}

void ConnectDialog::reject()
{
    if (m_waiting)
        m_workspace.cancelConnect();
    QDialog::reject();
}

} // namespace ondevice::ui
