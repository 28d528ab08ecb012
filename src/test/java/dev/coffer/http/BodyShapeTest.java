package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reader every request body goes through: what it suggests, refuses and lets through. */
class BodyShapeTest {
    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CofferException refused(BodyShape shape, String json) {
        try {
            shape.read(parse(json));
        } catch (CofferException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void suggestsTheFieldAClientProbablyMeant() {
        List<String> target = List.of("name", "repositories", "includePatterns", "excludePatterns", "users", "groups");
        assertThat(FieldNames.suggest("includePattern", target)).isEqualTo("includePatterns");
        assertThat(FieldNames.suggest("includesPattern", target)).isEqualTo("includePatterns"); // Artifactory v1
        assertThat(FieldNames.suggest("exclude_patterns", target)).isEqualTo("excludePatterns");
        assertThat(FieldNames.suggest("user", target)).isEqualTo("users");
        assertThat(FieldNames.suggest("repositroies", target)).isEqualTo("repositories");
        assertThat(FieldNames.suggest("key", target)).isNull();
        assertThat(FieldNames.suggest("principals", target)).isNull();
        assertThat(FieldNames.suggest("x".repeat(65), target)).isNull();
        assertThat(FieldNames.suggest("anonymousread", List.of("name", "description", "anonymousRead")))
                .isEqualTo("anonymousRead");
        assertThat(FieldNames.suggest("expiresIn", List.of("scope", "expires_in")))
                .isEqualTo("expires_in");
    }

    @Test
    void namesThatAreNoFieldNamesAreNotRepeated() {
        assertThat(FieldNames.shown("includePattern")).isEqualTo("'includePattern'");
        assertThat(FieldNames.shown("hunter2 is my password")).doesNotContain("hunter2");
        assertThat(FieldNames.shown("x".repeat(100))).doesNotContain("xxxx");
        assertThat(FieldNames.shown("")).isEqualTo("a field with an empty name");
    }

    @Test
    void refusesUnknownFieldsWrongTypesAndEmptyListsNamingThePlace() {
        BodyShape s = Bodies.PERMISSION_TARGET;
        CofferException typo = refused(s, "{\"repositories\":[\"libs\"],\"includePattern\":[\"app/**\"]}");
        assertThat(typo.failure().code()).isEqualTo("field_unknown");
        assertThat(typo.getMessage()).contains("unknown field 'includePattern' (did you mean 'includePatterns'?)");

        assertThat(refused(s, "{\"repositories\":\"libs\"}").getMessage()).contains("'repositories' must be a list");
        assertThat(refused(s, "{\"repositories\":[]}").failure().code()).isEqualTo("permission_invalid");
        assertThat(refused(s, "{\"repositories\":[\"a\",\" \"]}").getMessage()).contains("'repositories[1]'");
        assertThat(refused(s, "{\"repositories\":[\"a\",3]}").getMessage())
                .contains("'repositories[1]' must be a string");
        assertThat(refused(s, "{\"includePatterns\":[\"**\",\"a\",\"\"]}").getMessage())
                .contains("'includePatterns[2]'", "empty");
        assertThat(refused(s, "{\"includePatterns\":[\"a//b\"]}").getMessage()).contains("'includePatterns[0]'");
        assertThat(refused(s, "{\"users\":{\"ci\":[\"r\",\"read\"]}}").getMessage())
                .contains("'users.ci[1]'", "did you mean 'r'?");
        assertThat(refused(s, "{\"users\":{\"ci\":\"r\"}}").getMessage()).contains("'users.ci' must be a list");
        assertThat(refused(s, "{\"groups\":[\"devs\"]}").getMessage()).contains("'groups' must be an object");
    }

    @Test
    void borrowedFieldsAreKnownAndOnlyTheirNeutralValueWhereIgnoringWouldWiden() {
        BodyShape s = Bodies.REPOSITORY;
        Body b = s.read(parse("{\"key\":\"libs\",\"rclass\":\"local\",\"packageType\":\"generic\",\"notes\":\"n\","
                + "\"includesPattern\":\"**/*\",\"excludesPattern\":\"\",\"blackedOut\":false,\"xrayIndex\":true,"
                + "\"propertySets\":[\"p\"],\"created\":\"2020-01-01T00:00:00Z\",\"actions\":\"rwdamxs\"}"));
        assertThat(b.text("description")).isNull();
        CofferException narrower = refused(s, "{\"handleSnapshots\":false}");
        assertThat(narrower.failure().code()).isEqualTo("field_unsupported");
        assertThat(narrower.getMessage()).contains("'handleSnapshots'");
        assertThat(refused(s, "{\"blackedOut\":true}").failure().code()).isEqualTo("field_unsupported");
        // issue 18: classes, types and patterns are real fields now, their values checked by the service
        Body classes = s.read(parse("{\"rclass\":\"remote\",\"packageType\":\"maven\","
                + "\"includesPattern\":\"com/acme/**\",\"cacheSeconds\":60}"));
        assertThat(classes.text("rclass")).isEqualTo("remote");
        assertThat(classes.text("includesPattern")).isEqualTo("com/acme/**");
        assertThat(classes.integer("cacheSeconds")).isEqualTo(60L);
        assertThat(refused(s, "{\"cacheSeconds\":\"60\"}").getMessage()).contains("'cacheSeconds'");
        assertThat(refused(s, "{\"repositories\":\"libs\"}").getMessage()).contains("'repositories'");
        assertThat(refused(s, "{\"defaultDeploymentRepo\":\"libs\"}").getMessage())
                .contains("'defaultDeployRepo'");
        // ignored fields are still type-checked
        assertThat(refused(s, "{\"xrayIndex\":\"yes\"}").getMessage()).contains("'xrayIndex' must be true or false");
        // a form-compatible shape takes text for booleans and numbers; a JSON one does not
        assertThat(refused(s, "{\"anonymousRead\":\"true\"}").getMessage()).contains("'anonymousRead'");
        Body form = Bodies.ISSUE.read(parse("{\"refreshable\":\"TRUE\",\"expires_in\":\"60\"}"));
        assertThat(form.bool("refreshable")).isTrue();
        assertThat(form.text("expires_in")).isEqualTo("60");
    }

    @Test
    void askingForAFieldTheShapeDoesNotReadIsABugOfTheRoute() {
        Body b = Bodies.USER.read(parse("{\"userId\":3}"));
        assertThatThrownBy(() -> b.text("userId")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.text("nope")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.bool("email")).isInstanceOf(IllegalStateException.class);
    }
}
