package dev.repsim.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A labelled matrix as coloured cells with each value printed in its cell, and a colour bar. Used for
 * the variant × variant and model × model similarity matrices.
 *
 * @param title     figure title
 * @param rowLabels one per row
 * @param colLabels one per column
 * @param values    values[row][col], all finite
 * @param lo        value mapped to the bottom of the colour scale
 * @param hi        value mapped to the top of the colour scale (&gt; lo)
 * @param digits    decimals printed in the cells
 */
public record Heatmap(String title, List<String> rowLabels, List<String> colLabels, double[][] values,
                      double lo, double hi, int digits) {

    public Heatmap {
        if (values.length != rowLabels.size()) throw new IllegalArgumentException(values.length + " rows but " + rowLabels.size() + " row labels");
        for (double[] row : values) {
            if (row.length != colLabels.size()) throw new IllegalArgumentException(row.length + " columns but " + colLabels.size() + " column labels");
            for (double v : row) if (!Double.isFinite(v)) throw new IllegalArgumentException("heatmap '" + title + "' has a non-finite value " + v);
        }
        if (!(hi > lo)) throw new IllegalArgumentException("colour range [" + lo + ", " + hi + "] is empty");
    }

    /** Colour range from the data itself (for values without a natural scale). */
    public static Heatmap autoRange(String title, List<String> rows, List<String> cols, double[][] values, int digits) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] r : values) for (double v : r) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
        return new Heatmap(title, rows, cols, values, lo, hi, digits);
    }

    public String format(double v) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** Cell size and margins, shared by drawing and {@link #cellPixel}. */
    private record Layout(int cell, int left, int top, boolean slant) {}

    private Layout layout() {
        int cell = Math.max(58, Canvas.textWidth(Canvas.LABEL, format(-hi)) + 14);
        int rowLabelW = rowLabels.stream().mapToInt(s -> Canvas.textWidth(Canvas.LABEL, s)).max().orElse(0) + 14;
        int colLabelW = colLabels.stream().mapToInt(s -> Canvas.textWidth(Canvas.LABEL, s)).max().orElse(0);
        boolean slant = colLabelW > cell - 6;
        int colLabelH = slant ? (int) (colLabelW * 0.72) + 16 : 24;
        return new Layout(cell, 10 + rowLabelW, 36 + colLabelH, slant);
    }

    public BufferedImage render() {
        int rows = rowLabels.size(), cols = colLabels.size();
        Layout l = layout();
        int cell = l.cell(), left = l.left(), top = l.top();
        boolean slant = l.slant();
        int barW = 16, barGap = 24, barLabelW = Canvas.textWidth(Canvas.SMALL, format(hi)) + 10;
        int width = Math.max(left + cols * cell + barGap + barW + barLabelW + 16, Canvas.textWidth(Canvas.TITLE, title) + 30);
        int height = top + rows * cell + 20;
        Canvas c = new Canvas(width, height);
        c.text(title, Canvas.TITLE, Canvas.AXIS, width / 2.0, 18, Canvas.Align.CENTER);
        for (int j = 0; j < cols; j++) {
            double x = left + (j + 0.5) * cell;
            if (slant) c.slantedText(colLabels.get(j), Canvas.LABEL, Canvas.AXIS, x - 4, top - 6, Canvas.Align.LEFT);
            else c.text(colLabels.get(j), Canvas.LABEL, Canvas.AXIS, x, top - 12, Canvas.Align.CENTER);
        }
        for (int i = 0; i < rows; i++) {
            double y = top + (i + 0.5) * cell;
            c.text(rowLabels.get(i), Canvas.LABEL, Canvas.AXIS, left - 8, y, Canvas.Align.RIGHT);
            for (int j = 0; j < cols; j++) {
                double v = values[i][j];
                Color bg = Palette.sequential((v - lo) / (hi - lo));
                c.g.setColor(bg);
                c.g.fillRect(left + j * cell, top + i * cell, cell, cell);
                c.text(format(v), Canvas.LABEL, Palette.textOn(bg), left + (j + 0.5) * cell, y, Canvas.Align.CENTER);
            }
        }
        c.g.setColor(Color.WHITE);
        for (int j = 1; j < cols; j++) c.g.drawLine(left + j * cell, top, left + j * cell, top + rows * cell);
        for (int i = 1; i < rows; i++) c.g.drawLine(left, top + i * cell, left + cols * cell, top + i * cell);
        // colour bar
        int bx = left + cols * cell + barGap, bh = rows * cell;
        for (int y = 0; y < bh; y++) {
            c.g.setColor(Palette.sequential(1.0 - y / (double) Math.max(1, bh - 1)));
            c.g.fillRect(bx, top + y, barW, 1);
        }
        c.g.setColor(Canvas.AXIS);
        c.g.drawRect(bx, top, barW, bh);
        c.text(format(hi), Canvas.SMALL, Canvas.AXIS, bx + barW + 4, top + 5, Canvas.Align.LEFT);
        c.text(format((lo + hi) / 2), Canvas.SMALL, Canvas.AXIS, bx + barW + 4, top + bh / 2.0, Canvas.Align.LEFT);
        c.text(format(lo), Canvas.SMALL, Canvas.AXIS, bx + barW + 4, top + bh - 5, Canvas.Align.LEFT);
        return c.finish();
    }

    /** A pixel inside cell (row, col), away from its printed number (for tests that read colours). */
    public int[] cellPixel(int row, int col) {
        Layout l = layout();
        return new int[] {l.left() + col * l.cell() + 4, l.top() + row * l.cell() + 4};
    }
}
