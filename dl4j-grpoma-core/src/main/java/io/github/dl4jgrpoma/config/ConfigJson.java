package io.github.dl4jgrpoma.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;

/**
 * Run configurations as readable JSON (Jackson databind), for every immutable config record of the library
 * ({@code GrpoMaConfig}, {@code SftConfig} and their nested records) and of the examples.
 *
 * <ul>
 *   <li>{@link #toJson(Object)}: pretty-printed JSON, one field per record component, in component order.</li>
 *   <li>{@link #read(String, Class, Object, String)}: a (partial) file merged field by field over a defaults
 *       object, then mapped back through the record's canonical constructor, so the record's own validation
 *       runs. Unknown fields, wrong types and invalid values are an {@link IllegalArgumentException} naming the
 *       source, the field path, the value and the fix. Types are strict: a number or boolean written as a string
 *       ({@code "rlSteps": "60"}) is refused, not coerced (our choice: a quoted value is usually a hand-edit
 *       mistake, and Jackson's default coercion would hide it).</li>
 *   <li>{@link #fingerprint(Object, Set, String)}: SHA-256 of the canonical JSON (keys sorted, no whitespace)
 *       minus an explicit list of top-level fields. Derived from the content, so a field added to a config
 *       record later is part of the fingerprint without anyone listing it (our choice, after Tribuo's
 *       provenance).</li>
 * </ul>
 * The mapper is configured once and never changed, so the static instance holds no mutable state.
 */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)          // {"width": 64.5} is an error, not 64
            .enable(SerializationFeature.INDENT_OUTPUT)
            // {"rlSteps": "60"} is an error, not 60: a quoted number or boolean is refused (Jackson coerces by default)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    private ConfigJson() {
    }

    /** Pretty-printed JSON of a config record (ends with a line break). */
    public static String toJson(Object config) {
        try {
            return MAPPER.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + config.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@link #toJson(Object)} to {@code file} atomically. */
    public static void write(Path file, Object config) throws IOException {
        AtomicFiles.writeString(file, toJson(config));
    }

    /** The config as a mutable JSON tree (a copy). */
    public static ObjectNode tree(Object config) {
        return MAPPER.valueToTree(config);
    }

    /**
     * Parses JSON text into a tree.
     *
     * @param source names the text in error messages (a file name, "--config")
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static ObjectNode parse(String json, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage()
                    + "; fix: write one JSON object like {\"seed\": 1}", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(source + " must hold one JSON object like {\"seed\": 1}, found "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    /**
     * Reads a config: the fields present in {@code json} replace those of {@code defaults} (objects merge
     * field by field, everything else is replaced whole), then the record is built and validated.
     *
     * @param source names the text in error messages
     * @throws IllegalArgumentException naming the source, field, value and fix
     */
    public static <T> T read(String json, Class<T> type, T defaults, String source) {
        ObjectNode merged = tree(defaults);
        merge(merged, parse(json, source), source, "");
        return fromTree(merged, type, source);
    }

    /** {@link #read(String, Class, Object, String)} of a UTF-8 file. */
    public static <T> T read(Path file, Class<T> type, T defaults) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e
                    + "; fix: give the path of a readable JSON file", e);
        }
        return read(text, type, defaults, file.toString());
    }

    /**
     * Copies {@code overrides} into {@code base}: object fields merge recursively; a field unknown to
     * {@code base} is kept, so that mapping the result reports it as unknown.
     */
    public static void merge(ObjectNode base, JsonNode overrides, String source, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = overrides.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = base.get(e.getKey());
            if (old != null && old.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) old, e.getValue(), source, path + e.getKey() + ".");
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * Maps a JSON tree to a config record, running its validation.
     *
     * @throws IllegalArgumentException naming the source, the field path, the value and the fix
     */
    public static <T> T fromTree(JsonNode tree, Class<T> type, String source) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            Collection<Object> known = e.getKnownPropertyIds();
            throw new IllegalArgumentException(source + ": unknown field '" + path(e) + "'; fix: use one of "
                    + (known == null ? "the documented fields" : new java.util.TreeSet<>(known.stream().map(String::valueOf)
                    .toList())), e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(source + ": field '" + path(e) + "' = " + quoted(e.getValue())
                    + " is not " + expected(e.getTargetType()), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String where = path(e);
            throw new IllegalArgumentException(source + ": " + (where.isEmpty() ? "" : "in '" + where + "': ")
                    + cause.getMessage(), e);
        } catch (MismatchedInputException e) {
            JsonNode given = at(tree, path(e));
            if (given != null && given.isTextual() && isScalarType(e.getTargetType())) {
                String text = given.asText();
                throw new IllegalArgumentException(source + ": field '" + path(e) + "' = " + (looksLike(e.getTargetType(), text)
                        ? "\"" + text + "\" is a quoted string but must be " + expected(e.getTargetType()) + "; fix: write "
                        + text.trim() + " without quotes" : quoted(text) + " is not " + expected(e.getTargetType())), e);
            }
            throw new IllegalArgumentException(source + ": field '" + path(e) + "' has the wrong type; fix: give "
                    + expected(e.getTargetType()), e);
        } catch (JsonMappingException e) {
            String where = path(e);
            if (where.isEmpty()) {
                throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
            }
            throw new IllegalArgumentException(source + ": field '" + where + "' = " + at(tree, where) + " is invalid ("
                    + e.getOriginalMessage() + "); fix: give a value in the field's documented range", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Canonical JSON of a config without the listed top-level fields: object keys sorted, no whitespace.
     * Sets must be stored sorted by the record (their JSON arrays are taken in iteration order).
     */
    public static String canonical(Object config, Set<String> excluded) {
        ObjectNode t = tree(config);
        for (String f : excluded) {
            if (!t.has(f)) {
                throw new IllegalArgumentException("excluded field '" + f + "' is not a field of "
                        + config.getClass().getSimpleName() + "; fix: update the exclusion list");
            }
            t.remove(f);
        }
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sorted(t));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write canonical JSON", e);
        }
    }

    /**
     * SHA-256 (hex) of {@link #canonical(Object, Set)} followed by {@code extra} (for example a model's
     * shape).
     */
    public static String fingerprint(Object config, Set<String> excluded, String extra) {
        return sha256(canonical(config, excluded) + "|" + extra);
    }

    /**
     * The fingerprint of a JSON tree as {@link #fingerprint(Object, Set, String)} computes it for the config the tree
     * was written from (the {@code excluded} fields already removed from the tree), e.g. of a checkpoint's saved
     * config.
     */
    public static String fingerprint(JsonNode tree, String extra) {
        try {
            return sha256(MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sorted(tree))
                    + "|" + extra);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write canonical JSON", e);
        }
    }

    /**
     * The node at a dotted path as {@link #differences} names it ({@code "loss.beta"}), or null when absent.
     */
    public static JsonNode at(JsonNode tree, String dottedPath) {
        JsonNode n = tree;
        for (String part : dottedPath.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(md.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * The dotted paths of the leaf fields whose values differ between two JSON trees (fields present in
     * only one count), for messages such as "the checkpoint was written with another loss.beta".
     */
    public static List<String> differences(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        diff(a, b, "", out);
        return out;
    }

    private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(a.get(n), b.get(n), path + n + ".", out);
            }
        } else if (a == null || b == null || !(a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b))) {
            out.add(path.isEmpty() ? "(root)" : path.substring(0, path.length() - 1));
        }
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> m = new TreeMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            m.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(sorted(x)));
            return a;
        }
        return n;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static boolean isScalarType(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == boolean.class || type == Boolean.class;
    }

    /** Whether a string is what the scalar type would be without quotes (so the fix is to drop them). */
    private static boolean looksLike(Class<?> type, String text) {
        String t = text.trim();
        if (type == boolean.class || type == Boolean.class) {
            return t.equals("true") || t.equals("false");
        }
        return t.matches("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    }

    private static String quoted(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the documented type";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(c.toString());
            }
            return "one of " + names;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer (e.g. 4)";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number (e.g. 0.5)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName() + " (a JSON " + (Collection.class.isAssignableFrom(type) ? "array" : "object") + ")";
    }
}
