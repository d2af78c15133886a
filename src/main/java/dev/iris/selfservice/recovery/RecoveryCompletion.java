package dev.iris.selfservice.recovery;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowCompletion;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.settings.SettingsFlowService;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionIssuer;
import dev.iris.support.SelfServiceUrls;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * A passed recovery, as Kratos finishes one: the user is signed in (AAL1, method {@code code_recovery}, a fresh and so
 * privileged session) and goes on to a new settings flow that says the account was recovered. Browsers (a browser
 * flow, or a browser that opened an api flow's link) get the session cookie and are sent to the settings page —
 * first through the {@code aal=aal2} login when the identity has a second factor and whoami asks for it (recovering
 * the mailbox never bypasses a second factor). Api clients get the flow with Kratos's {@code continue_with}:
 * {@code set_ory_session_token} and {@code show_settings_ui}.
 */
@Singleton
public class RecoveryCompletion implements FlowCompletion {

    private final SettingsFlowService settings;
    private final FlowViews views;
    private final CsrfTokens csrf;
    private final SelfServiceUrls urls;
    private final IrisConfig config;
    private final SessionDirectory directory;

    public RecoveryCompletion(SettingsFlowService settings, FlowViews views, CsrfTokens csrf, SelfServiceUrls urls,
                              IrisConfig config, SessionDirectory directory) {
        this.directory = directory;
        this.settings = settings;
        this.views = views;
        this.csrf = csrf;
        this.urls = urls;
        this.config = config;
    }

    @Override
    public FlowKind kind() {
        return FlowKind.RECOVERY;
    }

    @Override
    public Uni<FlowResult> complete(Flow passed, Outcome.Passed outcome, SubmitContext context) {
        SessionIssuer.Issued session = outcome.session();
        boolean browser = passed.type() == FlowType.BROWSER || context.looksLikeBrowser();
        String owner = browser ? csrf.ownerMark(context.csrfCookie()) : null;
        // The address is verified now: cached sessions of the identity drop their old verdict.
        return directory.invalidateCached(outcome.identity().id)
                .chain(() -> settings.afterRecovery(outcome.identity(), session.session(),
                        browser ? FlowType.BROWSER : FlowType.API, owner, passed.returnTo()))
                .map(next -> {
                    String page = urls.page(FlowKind.SETTINGS.path(), next.id()).toString();
                    if (browser) {
                        boolean aal2Pending = config.session().requiresHighestAal()
                                && outcome.identity().hasSecondFactor();
                        String target = aal2Pending ? urls.secondFactorLogin(page) : page;
                        return new FlowResult.BrowserLocationChange(session.token(), target);
                    }
                    return new FlowResult.Updated(views.of(passed).withContinueWith(List.of(
                            Map.of("action", "set_ory_session_token", "ory_session_token", session.token()),
                            Map.of("action", "show_settings_ui", "flow", Map.of("id", next.id().toString(),
                                    "url", page)))));
                });
    }
}
