package dev.iris.selfservice.flow;

import io.smallrye.mutiny.Uni;

/**
 * What a flow does once its challenge is passed, for the flows that do more than sign in or up: recovery (a session
 * and a settings flow to go on with), verification (the address is verified; nobody is signed in). A CDI bean per
 * {@link FlowKind} in the flow's own feature package; the flow service finds it by kind.
 */
public interface FlowCompletion {

    FlowKind kind();

    /**
     * The answer to a submission that passed {@code flow}'s challenge. {@code passed}: the flow as saved in
     * {@code passed_challenge}; {@code outcome}: what the method made of it.
     */
    Uni<FlowResult> complete(Flow passed, Outcome.Passed outcome, SubmitContext context);
}
