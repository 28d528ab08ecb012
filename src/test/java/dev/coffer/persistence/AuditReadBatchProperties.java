package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.audit.AuditEvent;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The stored form of a batch of audited reads gives back exactly the events it was made from, in order. */
class AuditReadBatchProperties {
    @Provide
    Arbitrary<String> text() {
        // a small pool (shared strings) mixed with any UTF-16 text, lone surrogates included, and nulls
        Arbitrary<String> pool = Arbitraries.of(
                "access-token", "artifact.read", "libs", "127.0.0.1", "curl/8", "", "-1", "null", "\"s\"");
        Arbitrary<String> any =
                Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(20);
        return Arbitraries.oneOf(pool, any).injectNull(0.2);
    }

    @Provide
    Arbitrary<AuditEvent> event() {
        Arbitrary<String> t = text();
        return Combinators.combine(
                        Arbitraries.longs().between(-5_000, 5_000),
                        t,
                        t,
                        t,
                        t,
                        t,
                        Arbitraries.integers().between(0, 599),
                        t)
                .as((dt, by, id, repo, path, ip, status, agent) -> new AuditEvent(
                        1_700_000_000_000L + dt,
                        "alice",
                        by,
                        id,
                        path == null ? "artifact.read" : path,
                        repo,
                        path,
                        AuditEvent.ALLOWED,
                        status,
                        ip,
                        agent));
    }

    @Property(tries = 400)
    void decodingGivesBackTheEventsInOrder(
            @ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.From("event") AuditEvent> events) {
        long base = events.stream().mapToLong(AuditEvent::time).min().orElseThrow();
        String stored = AuditReadBatch.encode(events, base);

        assertThat(AuditReadBatch.decode(stored, base, "alice", AuditEvent.ALLOWED))
                .containsExactlyElementsOf(events);
        assertThat(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(stored))
                .isTrue();
    }

    @Property(tries = 50)
    void aRepeatedStringIsStoredOnce(
            @ForAll @Size(min = 2, max = 40) List<@net.jqwik.api.From("event") AuditEvent> events) {
        String agent = "Apache-Maven/3.9.9 (Java 17.0.12; Linux 6.1.0-amd64) a-long-user-agent-string-xyz";
        List<AuditEvent> same = events.stream()
                .map(e -> new AuditEvent(
                        e.time(),
                        e.username(),
                        e.authenticatedBy(),
                        e.credentialId(),
                        e.action(),
                        e.repo(),
                        e.path(),
                        e.outcome(),
                        e.status(),
                        e.ip(),
                        agent))
                .toList();
        String stored = AuditReadBatch.encode(same, 0);
        assertThat(stored.split(java.util.regex.Pattern.quote(agent), -1)).hasSize(2);
    }
}
