package dev.iris.selfservice.verification;

import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowCompletion;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.session.SessionDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * A passed verification: the method marked the address verified; sessions of the identity cached with the old
 * verdict are dropped (whoami shows the address verified at once). Nobody is signed in. The flow shows 1080002 and a
 * "Continue" link to its {@code return_to}.
 */
@Singleton
public class VerificationCompletion implements FlowCompletion {

    private final FlowViews views;
    private final SessionDirectory directory;
    private final FlowStore flows;
    private final CsrfTokens csrf;

    public VerificationCompletion(FlowViews views, SessionDirectory directory, FlowStore flows, CsrfTokens csrf) {
        this.flows = flows;
        this.csrf = csrf;
        this.views = views;
        this.directory = directory;
    }

    @Override
    public FlowKind kind() {
        return FlowKind.VERIFICATION;
    }

    @Override
    public Uni<FlowResult> complete(Flow passed, Outcome.Passed outcome, SubmitContext context) {
        return directory.invalidateCached(outcome.identity().id)
                .chain(() -> handedOver(passed, context))
                .map(shown -> new FlowResult.Updated(views.of(shown)));
    }

    /**
     * A browser flow passed by its emailed link in another browser is shown to that browser from now on (as Kratos
     * moves the flow's CSRF token to the browser that opened the link): its UI reads the flow to say "verified". A
     * passed verification holds nothing of the address.
     */
    private Uni<Flow> handedOver(Flow passed, SubmitContext context) {
        if (passed.type() != FlowType.BROWSER || context.sameBrowser() || context.csrfCookie() == null) {
            return Uni.createFrom().item(passed);
        }
        return flows.save(passed.ownedBy(csrf.ownerMark(context.csrfCookie())));
    }

}
