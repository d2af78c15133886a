package dev.iris.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientIpResolverTest {

    private static String resolve(ClientIpResolver resolver, String peer, String... forwardedFor) {
        return resolver.resolve(peer, List.of(forwardedFor));
    }

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientAndHeadersAreIgnored() {
        ClientIpResolver resolver = new ClientIpResolver(List.of(), 64);
        assertThat(resolve(resolver, "203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
        assertThat(resolver.resolve("203.0.113.9", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("10.0.0.0/8", "192.168.1.7"), 64);
        assertThat(resolve(resolver, "10.1.2.3", "198.51.100.4")).isEqualTo("198.51.100.4");
        assertThat(resolve(resolver, "10.1.2.3", "6.6.6.6, 198.51.100.4, 10.9.9.9, 192.168.1.7"))
                .as("a forged left-most entry does not win").isEqualTo("198.51.100.4");
        assertThat(resolve(resolver, "192.168.1.8", "198.51.100.4")).as("just outside the block").isEqualTo("192.168.1.8");
        assertThat(resolve(resolver, "10.1.2.3", "10.2.2.2, 10.3.3.3")).isEqualTo("10.2.2.2");
        assertThat(resolve(resolver, "10.1.2.3", "not-an-ip")).isEqualTo("10.1.2.3");
        assertThat(resolve(resolver, "10.1.2.3", "evil.example.com")).as("never a DNS lookup").isEqualTo("10.1.2.3");
        assertThat(resolve(resolver, "10.1.2.3", ",,,")).as("empty entries stop the walk").isEqualTo("10.1.2.3");
        assertThat(resolve(resolver, "10.1.2.3", "198.51.100.4, ")).isEqualTo("10.1.2.3");
        assertThat(resolve(resolver, "10.1.2.3", "198.51.100.4:443")).as("no ports").isEqualTo("10.1.2.3");
    }

    /** A proxy that appends a header line of its own must not leave the client's forged line as the one believed. */
    @Test
    void everyHeaderLineCountsInOrder() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("10.0.0.0/8"), 64);
        assertThat(resolve(resolver, "10.1.2.3", "6.6.6.6", "198.51.100.4"))
                .as("the client sent line 1 itself; the proxy appended line 2").isEqualTo("198.51.100.4");
        assertThat(resolve(resolver, "10.1.2.3", "6.6.6.6", "198.51.100.4, 10.0.0.9")).isEqualTo("198.51.100.4");
        assertThat(resolve(resolver, "10.1.2.3", "198.51.100.4", "10.0.0.9")).isEqualTo("198.51.100.4");
    }

    @Test
    void ipv6Blocks() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("::1/128", "fd00::/8"), 64);
        assertThat(resolve(resolver, "0:0:0:0:0:0:0:1", "2001:db8::5")).isEqualTo("2001:db8::5");
        assertThat(resolve(resolver, "fd12::1", "2001:db8::5, fd00::9")).isEqualTo("2001:db8::5");
        assertThat(resolve(resolver, "2001:db8::1", "2001:db8::5")).isEqualTo("2001:db8::1");
    }

    @Test
    void oneAddressHasOneSpelling() {
        ClientIpResolver resolver = new ClientIpResolver(List.of("127.0.0.1/32"), 128);
        for (String spelling : List.of("2001:db8:2::1", "2001:DB8:2::1", "2001:db8:2:0:0:0:0:1", "2001:0db8:0002::0001",
                "2001:db8:2:0::0:1")) {
            assertThat(resolve(resolver, "127.0.0.1", spelling)).as(spelling).isEqualTo("2001:db8:2::1");
        }
        assertThat(resolve(resolver, "127.0.0.1", "::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(resolve(resolver, "127.0.0.1", "::FFFF:c000:0207")).isEqualTo("192.0.2.7");
        assertThat(resolve(resolver, "::ffff:127.0.0.1", "192.0.2.7")).as("a mapped peer is trusted as IPv4")
                .isEqualTo("192.0.2.7");
        assertThat(resolve(resolver, "0:0:0:0:0:0:0:1")).isEqualTo("::1");
    }

    @Test
    void limitsCountIpv6ByNetwork() {
        ClientIpResolver resolver = new ClientIpResolver(List.of(), 64);
        assertThat(resolver.limitKey("2001:db8:2::1")).isEqualTo("2001:db8:2::/64");
        assertThat(resolver.limitKey("2001:db8:2:0:ffff:1:2:3")).isEqualTo("2001:db8:2::/64");
        assertThat(resolver.limitKey("2001:db8:2:1::1")).isEqualTo("2001:db8:2:1::/64");
        assertThat(resolver.limitKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(new ClientIpResolver(List.of(), 56).limitKey("2001:db8:2:ff::1")).isEqualTo("2001:db8:2::/56");
        assertThat(new ClientIpResolver(List.of(), 128).limitKey("2001:db8:2::1")).isEqualTo("2001:db8:2::1");
    }

    @Test
    void badBlocksFailAtStartNamingTheKey() {
        assertThatThrownBy(() -> new ClientIpResolver(List.of("10.0.0.0/33"), 64))
                .hasMessageContaining("iris.http.trusted-proxies");
        assertThatThrownBy(() -> new ClientIpResolver(List.of("proxy.internal"), 64))
                .hasMessageContaining("iris.http.trusted-proxies");
        assertThatThrownBy(() -> new ClientIpResolver(List.of("10.0.0.0/x"), 64))
                .hasMessageContaining("iris.http.trusted-proxies");
    }
}
