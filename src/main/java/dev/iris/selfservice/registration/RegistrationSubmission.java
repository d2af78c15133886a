package dev.iris.selfservice.registration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.selfservice.flow.Submission;
import dev.iris.support.ApiException;

import java.util.Map;

/**
 * The JSON body of {@code POST /self-service/registration}: {@code {method:"code", traits:{email}}} sends,
 * adding {@code code} redeems, adding {@code resend:"code"} resends.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrationSubmission(String method, Map<String, Object> traits, String code, String resend,
                                     String csrfToken) {

    public Submission toSubmission() {
        Object email = traits == null ? null : traits.get("email");
        if (email != null && !(email instanceof String)) {
            throw ApiException.badRequest("traits.email must be a string.");
        }
        return Submission.of(method, "traits.email", (String) email, "code", code, "resend", resend);
    }
}
