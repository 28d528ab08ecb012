package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcCredentialStore;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 18: a description with an escape sequence reached the terminal through
 * {@code coffer token list} (clearing the screen, faking messages, hiding rows). The CLI refuses
 * it at input like HTTP does, and every listing prints user text escaped.
 */
class CliEscapingTest {
    @TempDir
    Path data;

    private Run coffer(String... args) {
        return InProcessCli.run(data, args);
    }

    @Test
    void aDescriptionWithControlCharactersIsRefused() {
        assertThat(coffer("user", "add", "bob", "--password", "bob-password").code())
                .isZero();
        for (String d : List.of("\u001b[2J\u001b[Hcoffer: all tokens revoked", "a\nb", "a\tb", "\u202Etxt.exe")) {
            Run r = coffer("token", "create", "--user", "bob", "--description", d);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err())
                    .contains("description:")
                    .doesNotContain("\u001b")
                    .doesNotContain("\u202E");
            assertThat(r.out()).isEmpty();
        }
        assertThat(coffer("token", "list").out()).isEmpty();
    }

    @Test
    void aNameLikeASecretIsRefused() {
        Run r = coffer("user", "add", "cofak_bot", "--password", "bot-password");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("username:");
    }

    /** A description stored before input was checked (or by an older version) is shown, never obeyed. */
    @Test
    void listingsShowStoredControlCharactersAsVisibleEscapes() {
        assertThat(coffer("user", "add", "bob", "--password", "bob-password").code())
                .isZero();
        assertThat(coffer("token", "create", "--user", "bob", "--description", "plain")
                        .code())
                .isZero();
        String evil = "\u001b[2J\u001b[1;1Hcoffer: no tokens\u0007\nfake\trow\u009b\u202E\\u001b";
        try (Database db = Database.sqlite(data.resolve("coffer.db"))) {
            new JdbcCredentialStore(new Jdbc(db.dataSource()))
                    .insert(new StoredCredential(
                            SecretKind.ACCESS_TOKEN,
                            "legacy-1",
                            1,
                            Secrets.hash(Secrets.generate(SecretKind.ACCESS_TOKEN)),
                            null,
                            "applied-permissions/user",
                            evil,
                            "cli",
                            System.currentTimeMillis(),
                            null,
                            null,
                            null));
        }
        Run list = coffer("token", "list");
        assertThat(list.code()).isZero();
        String[] lines = list.out().split("\n");
        assertThat(lines).hasSize(2); // a line break inside a description makes no extra row
        String legacy = java.util.Arrays.stream(lines)
                .filter(l -> l.startsWith("legacy-1\t"))
                .findFirst()
                .orElseThrow();
        assertThat(legacy.split("\t")).hasSize(5); // nor a tab an extra column
        assertThat(legacy)
                .endsWith(
                        "\t\\u001b[2J\\u001b[1;1Hcoffer: no tokens\\u0007\\u000afake\\u0009row\\u009b\\u202e\\\\u001b");
        assertThat(list.out().chars().filter(c -> c < 0x20 && c != '\t' && c != '\n'))
                .isEmpty();
    }
}
