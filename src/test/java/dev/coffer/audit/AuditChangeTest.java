package dev.coffer.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The before/after values an audit event carries for a change of settings. */
class AuditChangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AuditEvent event(String change) {
        return new AuditEvent(
                0,
                "alice",
                "password",
                null,
                "repository.update",
                "libs",
                null,
                AuditEvent.SUCCESS,
                200,
                null,
                null,
                change);
    }

    @Test
    void writesOneObjectPerSettingInOrder() throws IOException {
        String json = new AuditChange()
                .field("anonymousRead", false, true)
                .field("description", null, "d")
                .field("members", List.of("a"), List.of("a", "b"))
                .field("count", 1, 2L)
                .json();
        assertThat(json)
                .isEqualTo(
                        "{\"anonymousRead\":{\"before\":false,\"after\":true},"
                                + "\"description\":{\"before\":null,\"after\":\"d\"},"
                                + "\"members\":{\"before\":[\"a\"],\"after\":[\"a\",\"b\"]},\"count\":{\"before\":1,\"after\":2}}");
        assertThat(JSON.readTree(json).size()).isEqualTo(4);
    }

    @Test
    void nothingRecordedIsNoChange() {
        assertThat(new AuditChange().isEmpty()).isTrue();
        assertThat(new AuditChange().json()).isNull();
        assertThat(event(new AuditChange().json()).change()).isNull();
    }

    @Test
    void aSettingGivenTwiceKeepsTheFirstBeforeAndTheLastAfter() {
        assertThat(new AuditChange().field("x", 1, 2).field("x", 2, 3).json())
                .isEqualTo("{\"x\":{\"before\":1,\"after\":3}}");
    }

    @Test
    void onlyPlainValuesAreAccepted() {
        assertThatThrownBy(() -> new AuditChange().field("x", new Object(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditChange().field("x", List.of(1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditChange().field("x", 1.5, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretShapedTextIsMaskedAndTheDocumentStaysValid() throws IOException {
        String key = "cofak_" + "A1b2C3d4".repeat(5);
        AuditEvent e = event(
                new AuditChange().field("description", "old", "see " + key).json());
        assertThat(e.change()).doesNotContain(key).contains("cofak_[redacted]");
        assertThat(JSON.readTree(e.change()).path("description").path("after").asText())
                .isEqualTo("see cofak_[redacted]");
    }

    @Test
    void aChangeTooLongToKeepIsReplacedByAValidNote() throws IOException {
        String longText = "x".repeat(AuditEvent.MAX_CHANGE);
        AuditEvent e =
                event(new AuditChange().field("description", null, longText).json());
        assertThat(e.change()).isEqualTo(AuditChange.OMITTED);
        assertThat(JSON.readTree(e.change()).path("omitted").asText()).contains("longer than");
        // the copy with another time keeps it
        assertThat(event(new AuditChange().field("a", false, true).json()).at(5).change())
                .isEqualTo("{\"a\":{\"before\":false,\"after\":true}}");
    }

    @Property(tries = 500)
    void anyTextComesBackFromTheJsonUnchanged(@ForAll String name, @ForAll String before, @ForAll String after)
            throws IOException {
        JsonNode n = JSON.readTree(
                new AuditChange().field(name, before, List.of(after, before)).json());
        assertThat(n.path(name).path("before").asText()).isEqualTo(before);
        assertThat(n.path(name).path("after").get(0).asText()).isEqualTo(after);
    }
}
