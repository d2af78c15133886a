package dev.iris.events;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignerTest {

    /** The example of the Standard Webhooks specification (and of its reference libraries' tests). */
    @Test
    void signsTheSpecificationsExample() {
        WebhookSigner signer = new WebhookSigner(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(signer.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void twoSecretsMakeTwoSignatures() {
        WebhookSigner signer = new WebhookSigner(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24])));
        assertThat(signer.signature("id", 1, "{}").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    }

    @Test
    void refusesWhatIsNotAWhsecSecretOfAUsableSize() {
        assertThatThrownBy(() -> new WebhookSigner(List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_not base64!"))).hasMessageContaining("base64");
        assertThatThrownBy(() -> new WebhookSigner(List.of("whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[16])))).hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> new WebhookSigner(List.of())).hasMessageContaining("one secret");
    }
}
