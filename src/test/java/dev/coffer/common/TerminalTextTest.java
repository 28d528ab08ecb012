package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertThat(TerminalText.escape("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
        assertThat(TerminalText.escape("row\tx\r\ny\u0007\u007f\u009b"))
                .isEqualTo("row\\u0009x\\u000d\\u000ay\\u0007\\u007f\\u009b");
        // bidirectional overrides reorder what is shown; line separators break rows
        assertThat(TerminalText.escape("abc\u202Eexe.txt\u2028")).isEqualTo("abc\\u202eexe.txt\\u2028");
        // a backslash is doubled, so a typed "\u001b" never looks like an escaped character
        assertThat(TerminalText.escape("C:\\dir \\u001b")).isEqualTo("C:\\\\dir \\\\u001b");
        assertThat(TerminalText.escape("\ud800x")).isEqualTo("\\ud800x");
        assertThat(TerminalText.escape(null)).isEmpty();
    }

    @Test
    void ordinaryTextIsUnchanged() {
        for (String s :
                new String[] {"ci deploy", "déploiement – nightly", "日本語", "emoji \uD83D\uDE80 ok", "a/b;c=d"}) {
            assertThat(TerminalText.escape(s)).isSameAs(s);
            assertThat(TerminalText.firstUnsafe(s)).isEqualTo(-1);
        }
    }

    @Test
    void firstUnsafeNamesTheCharacter() {
        assertThat(TerminalText.firstUnsafe("ok\u001b[31m")).isEqualTo(0x1b);
        assertThat(TerminalText.name(0x1b)).isEqualTo("U+001B");
        assertThat(TerminalText.firstUnsafe("x\ty")).isEqualTo('\t');
    }
}
