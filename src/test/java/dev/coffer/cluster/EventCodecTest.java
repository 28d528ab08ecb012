package dev.coffer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Invalidation;
import dev.coffer.common.Invalidation.Event;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    static final List<Event> EVERY_KIND = List.of(
            new Invalidation.UserChanged("alice"),
            new Invalidation.PasswordChanged("alice", 7),
            new Invalidation.UserDeleted("bob", 9),
            new Invalidation.CredentialRevoked("ab".repeat(32)),
            new Invalidation.PermissionsChanged(),
            new Invalidation.FilesChanged("libs", "com/acme/a b/x.jar", false),
            new Invalidation.FilesChanged("libs", "", true),
            new Invalidation.RepositoryChanged("libs-release"),
            new Invalidation.LoginLocked("a:::1", 1_700_000_000_000L),
            new Invalidation.LoginFailed("carol"),
            new Invalidation.LoginCleared("carol"),
            new Invalidation.Everything());

    @Test
    void everyKindOfEventSurvivesTheTrip() {
        for (Event e : EVERY_KIND) {
            String line = EventCodec.encode("node-1", e);
            assertThat(EventCodec.decode(line)).as(line).contains(new EventCodec.Message("node-1", e));
        }
    }

    @Property(tries = 500)
    void anyUsernameFromAFailedLoginKeepsTheFraming(@ForAll String username) {
        Event e = new Invalidation.LoginLocked("u:" + username, 42);
        String line = EventCodec.encode("n", e);
        assertThat(line).doesNotContain("\n").doesNotContain("\0");
        assertThat(EventCodec.decode(line)).contains(new EventCodec.Message("n", e));
    }

    @Test
    void damagedOrUnknownLinesDecodeToNothing() {
        assertThat(EventCodec.decode("")).isEmpty();
        assertThat(EventCodec.decode("n")).isEmpty();
        assertThat(EventCodec.decode("n frobnicate x")).isEmpty();
        assertThat(EventCodec.decode("n password alice notanumber")).isEmpty();
        assertThat(EventCodec.decode("n user")).isEmpty();
        assertThat(EventCodec.decode("n user a b")).isEmpty();
        assertThat(EventCodec.decode("n user %zz")).isEmpty();
    }
}
