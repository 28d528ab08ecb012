package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The access log's hand-written JSON: whatever the strings hold, a JSON parser reads back exactly them, on one line. */
class JsonLineProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 2000)
    void anyStringsReadBackUnchanged(@ForAll String a, @ForAll String b, @ForAll long n) throws Exception {
        JsonLine j = new JsonLine();
        j.string("a", a);
        j.strings("list", List.of(b, a));
        j.number("n", n);
        j.string("none", null);
        j.raw("d", Double.toString(12.5));
        String line = j.end();

        assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028");
        JsonNode node = JSON.readTree(line);
        assertThat(node.path("a").asText()).isEqualTo(a);
        assertThat(node.path("list").get(0).asText()).isEqualTo(b);
        assertThat(node.path("list").get(1).asText()).isEqualTo(a);
        assertThat(node.path("n").asLong()).isEqualTo(n);
        assertThat(node.path("none").isNull()).isTrue();
        assertThat(node.path("d").asDouble()).isEqualTo(12.5);
        assertThat(node.size()).isEqualTo(5);
    }

    @Property(tries = 2000)
    void tenthsAreWrittenAsTheDecimalTheyStandFor(
            @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 99_999_999) long tenths) throws Exception {
        JsonLine j = new JsonLine();
        j.tenths("ms", tenths);
        String line = j.end();
        // what the access log wrote before, through a double, for any duration under about 2.7 hours
        assertThat(line).isEqualTo("{\"ms\":" + Double.toString(tenths / 10.0) + "}");
        assertThat(JSON.readTree(line).path("ms").decimalValue())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(tenths, 1));
    }
}
