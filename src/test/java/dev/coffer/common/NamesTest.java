package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The loop says exactly what the documented pattern says. */
class NamesTest {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    @Property(tries = 2000)
    void agreesWithThePattern(@ForAll @StringLength(max = 70) String s) {
        assertThat(Names.valid(s, "._-")).isEqualTo(REPO.matcher(s).matches());
        assertThat(Names.valid(s, "._@-")).isEqualTo(USER.matcher(s).matches());
    }

    @Test
    void examples() {
        assertThat(Names.valid("libs-release.local_1", "._-")).isTrue();
        assertThat(Names.valid("a".repeat(64), "._-")).isTrue();
        assertThat(Names.valid("a".repeat(65), "._-")).isFalse();
        assertThat(Names.valid(".hidden", "._-")).isFalse();
        assertThat(Names.valid("-x", "._-")).isFalse();
        assertThat(Names.valid("", "._-")).isFalse();
        assertThat(Names.valid(null, "._-")).isFalse();
        assertThat(Names.valid("a@b", "._-")).isFalse();
        assertThat(Names.valid("a@b", "._@-")).isTrue();
        assertThat(Names.valid("libé", "._-")).isFalse();
    }
}
