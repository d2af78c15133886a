package dev.iris.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.mailer.MockMailbox;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Dev mode only ({@code ./mvnw quarkus:dev}, where the mailer is mocked): the emails Iris sent to an address,
 * oldest first, at {@code GET /dev/mailbox?to=user@example.com}. Not present in test or prod builds.
 */
@Path("/dev/mailbox")
@IfBuildProfile("dev")
public class DevMailboxResource {

    public record Message(String subject, String text) {
    }

    private final MockMailbox mailbox;

    public DevMailboxResource(MockMailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Message> messages(@QueryParam("to") String to) {
        if (to == null || to.isBlank()) {
            return List.of();
        }
        return mailbox.getMailsSentTo(to.strip().toLowerCase()).stream()
                .map(mail -> new Message(mail.getSubject(), mail.getText()))
                .toList();
    }
}
