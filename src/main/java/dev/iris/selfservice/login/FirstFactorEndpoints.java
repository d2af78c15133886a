package dev.iris.selfservice.login;

import dev.iris.http.CsrfTokens;
import dev.iris.http.FlowAnswers;
import dev.iris.http.Requests;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.support.Detached;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/** What the login and registration resources do alike, for their {@link FlowKind}: HTTP in, flow service, HTTP out. */
@Singleton
public class FirstFactorEndpoints {

    private final FirstFactorFlowService flows;
    private final FlowAnswers answers;

    public FirstFactorEndpoints(FirstFactorFlowService flows, FlowAnswers answers) {
        this.flows = flows;
        this.answers = answers;
    }

    public Uni<FlowView> createApi(FlowKind kind, HttpServerRequest request, String returnTo, boolean refresh,
                                   String aal) {
        return flows.createApi(kind, request.absoluteURI(), returnTo, refresh, aal, Requests.sessionToken(request));
    }

    public Uni<Response> createBrowser(FlowKind kind, HttpServerRequest request, String returnTo, boolean refresh,
                                       String aal) {
        FlowAnswers.BrowserCsrf browser = answers.browserCsrf(request);
        return Uni.createFrom().deferred(() -> flows.createBrowser(kind, request.absoluteURI(), returnTo, refresh, aal,
                        answers.sessionToken(request), browser.value()))
                .map(view -> answers.created(request, view, browser, kind.path()))
                .onFailure().recoverWithUni(failure -> answers.notStarted(failure, request, kind, returnTo));
    }

    public Uni<FlowView> fetch(FlowKind kind, String id, HttpServerRequest request) {
        return flows.fetch(kind, Requests.flowId(id), Requests.cookie(request, CsrfTokens.COOKIE))
                .map(view -> answers.fetched(view, request));
    }

    public Uni<Response> submit(FlowKind kind, String flowParam, Submission submission, String csrfToken,
                                HttpServerRequest request, boolean form) {
        UUID id = Requests.flowId(flowParam);
        SubmitContext context = answers.context(request, csrfToken, form);
        return Detached.of(flows.submit(kind, id, submission, context))
                .map(result -> answers.answer(result, kind, id, context))
                .onFailure().recoverWithUni(failure -> answers.refused(failure, kind, id, context));
    }
}
