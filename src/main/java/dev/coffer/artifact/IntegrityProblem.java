package dev.coffer.artifact;

/** A file whose stored bytes do not match its metadata (found by {@link ArtifactService#verify}). */
public record IntegrityProblem(String repo, String path, String what) {}
