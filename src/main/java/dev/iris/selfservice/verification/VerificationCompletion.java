package dev.iris.selfservice.verification;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowCompletion;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.session.SessionDirectory;
import dev.iris.support.SelfServiceUrls;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * A passed verification: the method marked the address verified; sessions of the identity cached with the old
 * verdict are dropped (whoami shows the address verified at once). Nobody is signed in. The flow shows 1080002 and a
 * "Continue" link to its {@code return_to}; a browser that posted an api flow's emailed link is sent to the flow's
 * page rather than shown JSON.
 */
@Singleton
public class VerificationCompletion implements FlowCompletion {

    private final FlowViews views;
    private final SessionDirectory directory;
    private final SelfServiceUrls urls;

    public VerificationCompletion(FlowViews views, SessionDirectory directory, SelfServiceUrls urls) {
        this.views = views;
        this.directory = directory;
        this.urls = urls;
    }

    @Override
    public FlowKind kind() {
        return FlowKind.VERIFICATION;
    }

    @Override
    public Uni<FlowResult> complete(Flow passed, Outcome.Passed outcome, SubmitContext context) {
        return directory.invalidateCached(outcome.identity().id).map(ignored -> {
            if (context.formPost() && passed.type() == FlowType.API) {
                String page = urls.page(FlowKind.VERIFICATION.path(), passed.id()).toString();
                return new FlowResult.BrowserLocationChange(null, page,
                        "In order to complete this flow please redirect the browser to: " + page);
            }
            return new FlowResult.Updated(views.of(passed));
        });
    }
}
