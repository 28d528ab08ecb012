package dev.coffer.repository;

import java.util.List;

/** Builds a {@link RepositoryService.Change} field by field, for callers that set a few of its many fields. */
public final class ChangeBuilder {
    private String description;
    private Boolean anonymousRead;
    private String packageType;
    private String rclass;
    private List<String> includePatterns;
    private List<String> excludePatterns;
    private String url;
    private String username;
    private String password;
    private Long cacheSeconds;
    private Boolean offline;
    private List<String> members;
    private String defaultDeployRepo;

    ChangeBuilder() {}

    public ChangeBuilder description(String v) {
        description = v;
        return this;
    }

    public ChangeBuilder anonymousRead(Boolean v) {
        anonymousRead = v;
        return this;
    }

    public ChangeBuilder packageType(String v) {
        packageType = v;
        return this;
    }

    public ChangeBuilder rclass(String v) {
        rclass = v;
        return this;
    }

    public ChangeBuilder includePatterns(List<String> v) {
        includePatterns = v;
        return this;
    }

    public ChangeBuilder excludePatterns(List<String> v) {
        excludePatterns = v;
        return this;
    }

    public ChangeBuilder url(String v) {
        url = v;
        return this;
    }

    public ChangeBuilder username(String v) {
        username = v;
        return this;
    }

    public ChangeBuilder password(String v) {
        password = v;
        return this;
    }

    public ChangeBuilder cacheSeconds(Long v) {
        cacheSeconds = v;
        return this;
    }

    public ChangeBuilder offline(Boolean v) {
        offline = v;
        return this;
    }

    public ChangeBuilder members(List<String> v) {
        members = v;
        return this;
    }

    public ChangeBuilder defaultDeployRepo(String v) {
        defaultDeployRepo = v;
        return this;
    }

    public RepositoryService.Change build() {
        return new RepositoryService.Change(
                description,
                anonymousRead,
                packageType,
                rclass,
                includePatterns,
                excludePatterns,
                url,
                username,
                password,
                cacheSeconds,
                offline,
                members,
                defaultDeployRepo);
    }
}
