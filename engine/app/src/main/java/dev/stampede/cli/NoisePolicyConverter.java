package dev.stampede.cli;

import dev.stampede.compare.NoisePolicy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code warn} or {@code fail}. */
final class NoisePolicyConverter implements ITypeConverter<NoisePolicy> {

  @Override
  public NoisePolicy convert(String value) {
    try {
      return NoisePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' must be warn or fail");
    }
  }
}
