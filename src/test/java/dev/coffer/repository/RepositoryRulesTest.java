package dev.coffer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a repository may be (API.md §9), decided by the service for every entry point: each refusal
 * is a 400 naming the field (409 for a fixed type or class) and changes nothing.
 */
class RepositoryRulesTest {
    private static final String SECRET = "upstream-secret-Pw1";

    private final MapRepositoryStore store = new MapRepositoryStore();
    private final RepositoryService service;

    RepositoryRulesTest() {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        service = new RepositoryService(store, () -> 1000, new Invalidation(), new SecretBox(key));
    }

    private static ChangeBuilder change() {
        return RepositoryService.Change.builder();
    }

    private Repository put(String name, ChangeBuilder c) {
        return service.put(name, c.build()).repository();
    }

    /** The refusal's failure; the store is as it was. */
    private Failure refused(String name, ChangeBuilder c, Class<? extends Failure> kind, String code) {
        Map<String, Repository> before = new TreeMap<>(store.rows);
        CofferException e = catchThrowableOfType(CofferException.class, () -> service.put(name, c.build()));
        assertThat(e).as("refused with " + code).isNotNull();
        assertThat(e.failure()).isInstanceOf(kind);
        assertThat(e.failure().code()).isEqualTo(code);
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(store.rows).isEqualTo(before);
        return e.failure();
    }

    private Failure invalid(String name, ChangeBuilder c, String code, String... mentions) {
        Failure f = refused(name, c, Failure.Invalid.class, code);
        assertThat(f.message()).contains(mentions);
        return f;
    }

    private ChangeBuilder remote(String url) {
        return change().rclass("remote").url(url);
    }

    @Test
    void aNewRepositoryIsGenericAndLocalAndServesEveryPath() {
        Repository r = put("libs", change());
        assertThat(r.packageType()).isEqualTo(PackageType.GENERIC);
        assertThat(r.rclass()).isEqualTo(RepositoryClass.LOCAL);
        assertThat(r.filter()).isEqualTo(PathFilter.ALL);
        assertThat(r.remote()).isNull();
        assertThat(r.virtual()).isNull();
        assertThat(put("mvn", change().packageType("maven")).packageType()).isEqualTo(PackageType.MAVEN);
    }

    @Test
    void unknownAndUnsupportedTypesAndClasses() {
        invalid("x", change().packageType("rubygems"), "package_type_invalid", "generic, maven, npm, pypi, oci");
        invalid("x", change().packageType("Maven"), "package_type_invalid", "'packageType'");
        invalid("x", change().packageType("pypi"), "package_type_unsupported", "pypi", "generic, maven, npm");
        invalid("x", change().rclass("group"), "rclass_invalid", "local, remote, virtual");
        assertThat(store.rows).isEmpty();
    }

    @Test
    void typeAndClassAreFixedAtCreation() {
        put("libs", change().packageType("maven"));
        refused("libs", change().packageType("generic"), Failure.Conflict.class, "repository_type_fixed");
        refused("libs", change().rclass("virtual"), Failure.Conflict.class, "repository_class_fixed");
        // saying the same again is no change (a client PUTs back what it read)
        assertThat(put("libs", change().packageType("maven").rclass("local").description("d"))
                        .description())
                .isEqualTo("d");
    }

    @Test
    void aRemoteNeedsAnAbsoluteHttpUrlWithoutCredentialsQueryOrFragment() {
        invalid("r", change().rclass("remote"), "url_invalid", "'url'");
        invalid("r", remote("ftp://example.org/maven2"), "url_invalid", "http or https");
        invalid("r", remote("repo1.maven.org/maven2"), "url_invalid", "'url'");
        invalid("r", remote("https:///maven2"), "url_invalid", "host");
        invalid("r", remote("https://example.org/m?token=1"), "url_invalid", "query");
        invalid("r", remote("https://example.org/m#top"), "url_invalid", "fragment");
        invalid("r", remote("https://example.org/" + "a".repeat(UpstreamUrl.MAX_CHARS)), "url_invalid", "longer");
        Failure userInfo = invalid("r", remote("https://bob:" + SECRET + "@example.org/m"), "url_invalid", "username");
        assertThat(userInfo.message()).doesNotContain("bob");

        Repository r = put("r", remote("HTTPS://Example.org:8443/maven2//").packageType("maven"));
        assertThat(r.remote().url()).hasToString("https://Example.org:8443/maven2");
        assertThat(r.remote().cacheSeconds()).isEqualTo(600);
        assertThat(r.remote().offline()).isFalse();
        assertThat(r.remote().username()).isNull();
    }

    @Test
    void settingsOfOneClassAreRefusedOnTheOthers() {
        put("local", change());
        put("virt", change().rclass("virtual"));
        put("rem", remote("https://example.org"));
        for (ChangeBuilder c : List.of(
                change().url("https://example.org"),
                change().username("u"),
                change().password(SECRET),
                change().cacheSeconds(5L),
                change().offline(true))) {
            invalid("local", c, "field_unsupported", "remote repositories", "'local' is a local repository");
            invalid("virt", c, "field_unsupported", "remote repositories");
        }
        for (ChangeBuilder c : List.of(change().members(List.of("local")), change().defaultDeployRepo("local"))) {
            invalid("local", c, "field_unsupported", "virtual repositories");
            invalid("rem", c, "field_unsupported", "virtual repositories");
        }
    }

    @Test
    void theUpstreamPasswordIsStoredSealedAndOpensOnlyForTheUpstream() {
        Repository r =
                put("rem", remote("https://example.org/m").username("bot").password(SECRET));
        assertThat(r.remote().sealedPassword()).startsWith("v1:").doesNotContain(SECRET);
        assertThat(store.rows.get("rem").toString()).doesNotContain(SECRET).doesNotContain("v1:");
        assertThat(service.upstreamPassword(r)).contains(SECRET);
        assertThat(service.unreadablePasswords()).isEmpty();

        // other changes keep it; the same host under another path keeps it
        Repository moved =
                put("rem", change().url("https://EXAMPLE.org:443/other").cacheSeconds(0L));
        assertThat(moved.remote().sealedPassword()).isEqualTo(r.remote().sealedPassword());
        // another host: the stored password is not sent there unless it is given again
        invalid("rem", change().url("https://elsewhere.example"), "password_invalid", "another host");
        Repository elsewhere =
                put("rem", change().url("https://elsewhere.example").password("new-" + SECRET));
        assertThat(service.upstreamPassword(elsewhere)).contains("new-" + SECRET);

        // a password needs a user name; "" removes
        invalid("rem", change().username(""), "password_invalid", "'password' needs 'username'");
        invalid("p", remote("https://example.org").password(SECRET), "password_invalid", "'username'");
        Repository cleared = put("rem", change().password(""));
        assertThat(cleared.remote().sealedPassword()).isNull();
        assertThat(cleared.remote().username()).isEqualTo("bot");
        assertThat(service.upstreamPassword(cleared)).isEmpty();
        assertThat(put("rem", change().username("")).remote().username()).isNull();
    }

    @Test
    void upstreamCredentialsAreBounded() {
        invalid("r", remote("https://e.org").username("a:b"), "username_invalid", "':'");
        invalid("r", remote("https://e.org").username("a\nb"), "username_invalid", "control");
        invalid("r", remote("https://e.org").username("u".repeat(256)), "username_invalid", "255");
        invalid("r", remote("https://e.org").username("u").password("p".repeat(1025)), "password_invalid", "1024");
        invalid("r", remote("https://e.org").username("u").password(SECRET + "\n"), "password_invalid", "line");
    }

    @Test
    void cacheSecondsIsFromZeroToAYear() {
        invalid("r", remote("https://e.org").cacheSeconds(-1L), "cache_seconds_invalid", "'cacheSeconds'");
        invalid("r", remote("https://e.org").cacheSeconds(31_536_001L), "cache_seconds_invalid", "31536000");
        assertThat(put("r", remote("https://e.org").cacheSeconds(31_536_000L).offline(true))
                        .remote())
                .extracting(RemoteSettings::cacheSeconds, RemoteSettings::offline)
                .containsExactly(31_536_000L, true);
    }

    @Test
    void patternsAreParsedAsPermissionTargetsParseThem() {
        invalid("l", change().includePatterns(List.of()), "patterns_invalid", "'includePatterns' is empty");
        invalid("l", change().includePatterns(List.of("**", "a/**x")), "patterns_invalid", "'includePatterns[1]'");
        invalid("l", change().excludePatterns(List.of("../x")), "patterns_invalid", "'excludePatterns[0]'");
        List<String> many =
                IntStream.range(0, 101).mapToObj(i -> "p" + i + "/**").toList();
        invalid("l", change().excludePatterns(many), "patterns_invalid", "more than 100");
        Repository r = put("l", change().includePatterns(List.of("com/acme/**")).excludePatterns(List.of("**/*.key")));
        assertThat(r.filter()).isEqualTo(new PathFilter(List.of("com/acme/**"), List.of("**/*.key")));
        assertThat(put("l", change().description("kept")).filter()).isEqualTo(r.filter());
    }

    @Test
    void membersAreLocalOrRemoteOfTheSameTypeOnceEachAndNotItself() {
        put("libs", change().packageType("maven"));
        put("central", remote("https://repo1.maven.org/maven2").packageType("maven"));
        put("gen", change());
        put("other-virt", change().rclass("virtual").packageType("maven"));
        ChangeBuilder v = change().rclass("virtual").packageType("maven");

        invalid("v", v.members(List.of("libs", "nope")), "members_invalid", "'repositories[1]'", "no repository");
        invalid("v", v.members(List.of("other-virt")), "members_invalid", "virtual repositories do not nest");
        invalid("v", v.members(List.of("libs", "gen")), "members_invalid", "'repositories[1]'", "generic");
        invalid("v", v.members(List.of("v")), "members_invalid", "itself");
        invalid("v", v.members(List.of("libs", "libs")), "members_invalid", "twice");
        invalid("v", v.members(List.of("bad name")), "members_invalid", "not a repository name");
        List<String> many = IntStream.range(0, 51).mapToObj(i -> "m" + i).toList();
        invalid("v", v.members(many), "members_invalid", "more than 50");
        invalid(
                "v",
                v.members(List.of("libs", "central")).defaultDeployRepo("elsewhere"),
                "default_deploy_repo_invalid",
                "not one of the members");
        invalid(
                "v",
                v.members(List.of("libs", "central")).defaultDeployRepo("central"),
                "default_deploy_repo_invalid",
                "not a local repository");

        Repository virt = put("v", v.members(List.of("central", "libs")).defaultDeployRepo("libs"));
        assertThat(virt.virtual()).isEqualTo(new VirtualSettings(List.of("central", "libs"), "libs"));
        // dropping the deploy target's membership without clearing it is refused; "" clears it
        invalid("v", change().members(List.of("central")), "default_deploy_repo_invalid", "'defaultDeployRepo'");
        assertThat(put("v", change().members(List.of("central")).defaultDeployRepo(""))
                        .virtual())
                .isEqualTo(new VirtualSettings(List.of("central"), null));
    }

    @Test
    void theApprovalDecidesBeforeTheMembersAreLookedUp() {
        put("libs", change());
        List<String> seen = new ArrayList<>();
        Throwable t = catchThrowable(() -> service.put(
                "v", change().rclass("virtual").members(List.of("libs", "nope")).build(), diff -> {
                    seen.addAll(diff.addedMembers());
                    throw new CofferException(new Failure.Denied("forbidden", "no"));
                }));
        // a caller refused for the members hears the same whether "nope" exists or not
        assertThat(((CofferException) t).failure().code()).isEqualTo("forbidden");
        assertThat(seen).containsExactly("libs", "nope");
        assertThat(store.rows).containsOnlyKeys("libs");
    }

    @Test
    void aMemberOfAVirtualRepositoryIsNotDeleted() {
        put("a", change());
        put("b", change());
        put("v1", change().rclass("virtual").members(List.of("a", "b")));
        put("v2", change().rclass("virtual").members(List.of("a")));

        CofferException e = catchThrowableOfType(CofferException.class, () -> service.delete("a"));
        assertThat(e.failure()).isInstanceOf(Failure.Conflict.class);
        assertThat(e.failure().code()).isEqualTo("repository_in_use");
        assertThat(e.getMessage()).contains("'v1', 'v2'");
        assertThat(store.rows).containsKey("a");

        put("v1", change().members(List.of("b")));
        put("v2", change().members(Collections.emptyList()));
        assertThat(service.delete("a")).isTrue();
        assertThat(service.delete("v1")).isTrue();
        assertThat(service.delete("b")).isTrue();
    }
}
