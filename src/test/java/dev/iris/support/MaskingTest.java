package dev.iris.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTest {

    @Test
    void keepsFirstLetterAndDomainOnly() {
        assertThat(Masking.maskEmail("alice@example.com")).isEqualTo("a•••@example.com");
        assertThat(Masking.maskEmail("nonsense")).isEqualTo("•••");
        assertThat(Masking.maskEmail(null)).isEqualTo("(none)");
    }
}
