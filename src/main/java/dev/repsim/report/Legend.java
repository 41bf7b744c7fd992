package dev.repsim.report;

import java.awt.Color;
import java.util.List;

/** A boxed legend: one coloured marker and name per entry, drawn in a column. */
final class Legend {
    private Legend() {}

    static int width(List<String> names) {
        return names.stream().mapToInt(s -> Canvas.textWidth(Canvas.LABEL, s)).max().orElse(0) + 40;
    }

    static int height(List<String> names) {
        return names.size() * 20 + 12;
    }

    static void draw(Canvas c, List<String> names, List<Color> colours, int x, int y) {
        int w = width(names), h = height(names);
        c.g.setColor(Color.WHITE);
        c.g.fillRect(x, y, w, h);
        c.g.setColor(Canvas.GRID);
        c.g.drawRect(x, y, w, h);
        for (int i = 0; i < names.size(); i++) {
            double cy = y + 16 + i * 20;
            c.g.setColor(colours.get(i));
            c.g.fillOval(x + 10, (int) cy - 5, 11, 11);
            c.text(names.get(i), Canvas.LABEL, Canvas.AXIS, x + 28, cy, Canvas.Align.LEFT);
        }
    }
}
