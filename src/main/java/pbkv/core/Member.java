package pbkv.core;

/** A cluster member: a data node (primary or backup) or a witness that only votes. */
public record Member(String id, boolean witness) {
}
