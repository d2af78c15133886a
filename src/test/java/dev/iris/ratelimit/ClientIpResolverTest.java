package dev.iris.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientIpResolverTest {

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientAndHeadersAreIgnored() {
        ClientIpResolver resolver = new ClientIpResolver(List.of());
        assertThat(resolver.resolve("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
        assertThat(resolver.resolve("203.0.113.9", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("10.0.0.0/8", "192.168.1.7"));
        assertThat(resolver.resolve("10.1.2.3", "198.51.100.4")).isEqualTo("198.51.100.4");
        assertThat(resolver.resolve("10.1.2.3", "6.6.6.6, 198.51.100.4, 10.9.9.9, 192.168.1.7"))
                .as("a forged left-most entry does not win").isEqualTo("198.51.100.4");
        assertThat(resolver.resolve("192.168.1.8", "198.51.100.4")).as("just outside the block").isEqualTo("192.168.1.8");
        assertThat(resolver.resolve("10.1.2.3", "10.2.2.2, 10.3.3.3")).isEqualTo("10.2.2.2");
        assertThat(resolver.resolve("10.1.2.3", "not-an-ip")).isEqualTo("10.1.2.3");
        assertThat(resolver.resolve("10.1.2.3", "evil.example.com")).as("never a DNS lookup").isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6Blocks() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("::1/128", "fd00::/8"));
        assertThat(resolver.resolve("0:0:0:0:0:0:0:1", "2001:db8::5")).isEqualTo("2001:db8::5");
        assertThat(resolver.resolve("fd12::1", "2001:db8::5, fd00::9")).isEqualTo("2001:db8::5");
        assertThat(resolver.resolve("2001:db8::1", "2001:db8::5")).isEqualTo("2001:db8::1");
    }

    @Test
    void badBlocksFailAtStartNamingTheKey() {
        assertThatThrownBy(() -> new ClientIpResolver(List.of("10.0.0.0/33")))
                .hasMessageContaining("iris.http.trusted-proxies");
        assertThatThrownBy(() -> new ClientIpResolver(List.of("proxy.internal")))
                .hasMessageContaining("iris.http.trusted-proxies");
    }
}
