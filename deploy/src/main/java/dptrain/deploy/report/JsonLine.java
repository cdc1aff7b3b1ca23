package dptrain.deploy.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a run's metrics.jsonl: a flat JSON object of strings, numbers, booleans and nulls,
 * as {@code MetricsLog} writes it. Nested values are not part of that format and are refused.
 */
public record JsonLine(Map<String, Object> fields) {

  /** The line's object, in its order; an {@link IllegalArgumentException} names what is wrong and where. */
  public static JsonLine parse(String text) {
    return new Parser(text).object();
  }

  /** The object as one line of JSON again (numbers as doubles read them). */
  public String toJson() {
    StringBuilder out = new StringBuilder("{");
    fields.forEach((name, value) -> {
      out.append(out.length() > 1 ? "," : "").append(Json.string(name)).append(':');
      if (value instanceof String text) {
        out.append(Json.string(text));
      } else if (value instanceof Double number) {
        out.append(Json.number(number));
      } else {
        out.append(value);
      }
    });
    return out.append('}').toString();
  }

  public String type() {
    return text("type");
  }

  public boolean has(String name) {
    return fields.get(name) != null;
  }

  /** A number, or NaN when the field is missing or null. */
  public double number(String name) {
    return fields.get(name) instanceof Double d ? d : Double.NaN;
  }

  /** A string (or a number or boolean as written), or "" when missing. */
  public String text(String name) {
    Object value = fields.get(name);
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return value == null ? "" : String.valueOf(value);
  }

  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    JsonLine object() {
      Map<String, Object> fields = new LinkedHashMap<>();
      expect('{');
      skipSpace();
      if (peek() == '}') {
        at++;
      } else {
        do {
          skipSpace();
          String name = string();
          skipSpace();
          expect(':');
          skipSpace();
          fields.put(name, value());
          skipSpace();
        } while (take() == ',');
        at--;
        expect('}');
      }
      skipSpace();
      if (at != text.length()) {
        throw error("text after the object");
      }
      return new JsonLine(Collections.unmodifiableMap(fields));
    }

    private Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (text.startsWith("null", at)) {
        at += 4;
        return null;
      }
      if (text.startsWith("true", at) || text.startsWith("false", at)) {
        boolean value = c == 't';
        at += value ? 4 : 5;
        return value;
      }
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      try {
        return Double.parseDouble(text.substring(start, at));
      } catch (NumberFormatException e) {
        at = start;
        throw error("a value that is not a string, number, boolean or null");
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = take();
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          char escaped = take();
          switch (escaped) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'u' -> {
              out.append((char) Integer.parseInt(text.substring(at, Math.min(text.length(), at + 4)), 16));
              at += 4;
            }
            default -> out.append(escaped);
          }
        } else {
          out.append(c);
        }
      }
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private char peek() {
      if (at >= text.length()) {
        throw error("the line ends early");
      }
      return text.charAt(at);
    }

    private char take() {
      char c = peek();
      at++;
      return c;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("'" + c + "' expected");
      }
      at++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at column " + (at + 1));
    }
  }
}
