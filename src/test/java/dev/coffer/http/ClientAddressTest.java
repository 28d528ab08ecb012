package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientAddressTest {
    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(ClientAddress.DIRECT.resolve("203.0.113.9", "10.1.1.1")).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.trusting("").resolve("203.0.113.9", "10.1.1.1"))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void aTrustedPeerNamesTheClient() {
        ClientAddress c = ClientAddress.trusting("10.0.0.0/8, 192.168.1.5");
        assertThat(c.resolve("10.0.0.11", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(c.resolve("192.168.1.5", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(c.resolve("10.0.0.11", null)).isEqualTo("10.0.0.11");
    }

    @Test
    void anUntrustedPeerCannotForgeItsAddress() {
        ClientAddress c = ClientAddress.trusting("10.0.0.0/8");
        assertThat(c.resolve("198.51.100.7", "10.0.0.1")).isEqualTo("198.51.100.7");
        assertThat(c.resolve("11.0.0.1", "1.2.3.4")).isEqualTo("11.0.0.1");
    }

    @Test
    void theNearestUntrustedHopWinsSoAClientCannotPrependALie() {
        ClientAddress c = ClientAddress.trusting("10.0.0.0/8");
        // the client sent "X-Forwarded-For: 1.1.1.1"; two proxies appended the real hops
        assertThat(c.resolve("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1")).isEqualTo("198.51.100.7");
        // garbage in the chain stops at the last hop we could vouch for
        assertThat(c.resolve("10.0.0.2", "evil.example, 10.0.0.1")).isEqualTo("10.0.0.1");
        // every hop trusted: the farthest one
        assertThat(c.resolve("10.0.0.2", "10.0.0.3, 10.0.0.1")).isEqualTo("10.0.0.3");
    }

    @Test
    void ipv6RangesWork() {
        ClientAddress c = ClientAddress.trusting("fd00::/8, ::1");
        assertThat(c.resolve("::1", "2001:db8::5")).isEqualTo("2001:db8::5");
        assertThat(c.resolve("fd12::1", "2001:db8::6")).isEqualTo("2001:db8::6");
        assertThat(c.resolve("2001:db8::1", "2001:db8::7")).isEqualTo("2001:db8::1");
        // an IPv4 peer is not in an IPv6 range
        assertThat(c.resolve("10.0.0.1", "2001:db8::7")).isEqualTo("10.0.0.1");
    }

    @Test
    void badEntriesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> ClientAddress.trusting("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> ClientAddress.trusting("lb.example.org")).hasMessageContaining("lb.example.org");
        assertThatThrownBy(() -> ClientAddress.trusting("300.1.1.1")).hasMessageContaining("300.1.1.1");
        assertThatThrownBy(() -> ClientAddress.trusting("10.0.0.1/x")).hasMessageContaining("10.0.0.1/x");
    }
}
