//! SVG charts: theme shares per era, mean stance per era, and the choice of k.
//!
//! Charts are drawn with plotters' SVG backend, whose text is `<text font-family="sans-serif">`, so no font
//! file or system library is needed and a browser draws Korean labels with its own fonts. Empty inputs give
//! a small chart that says "no data".

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::write_atomic;
use crate::eras::{EraStanceRow, EraThemeRow};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Distinct colours (Tableau 10, then darker variants) for themes and stance axes.
const PALETTE: [RGBColor; 14] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
    RGBColor(31, 71, 136),
    RGBColor(166, 86, 40),
    RGBColor(60, 110, 60),
    RGBColor(100, 100, 100),
];

const FONT: &str = "sans-serif";
// plotters writes font-size as size / 1.24, so 16 gives 13-pixel text.
const TEXT_SIZE: u32 = 16;
const TITLE_SIZE: u32 = 24;
const HEIGHT: u32 = 560;
const LEGEND_WIDTH: u32 = 280;
/// Where the first legend line is drawn, and the height of each.
const LEGEND_TOP: u32 = 75;
const LEGEND_LINE: u32 = 22;
/// Longest era label drawn in full; longer ones are cut with an ellipsis.
const MAX_LABEL_CHARS: usize = 24;
/// Rough width of one character of 13-pixel text (TEXT_SIZE), to decide whether labels fit side by side.
const CHAR_WIDTH: u32 = 7;

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// Draws into an SVG string of `size` pixels.
fn render(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> Result<()>) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

fn write_svg(path: &Path, svg: &str) -> Result<()> {
    write_atomic(path, |out| Ok(out.write_all(svg.as_bytes())?))
}

/// A small chart with its title and "no data".
fn no_data(path: &Path, title: &str) -> Result<()> {
    let svg = render((480, 120), |root| {
        root.draw(&Text::new(title.to_string(), (20, 30), (FONT, TITLE_SIZE - 4).into_font()))?;
        root.draw(&Text::new("no data", (20, 70), (FONT, TEXT_SIZE + 1).into_font().color(&RGBColor(110, 110, 110))))?;
        Ok(())
    })?;
    write_svg(path, &svg)
}

/// Labels of a categorical x axis: where they go and how they are drawn.
struct CategoryLabels {
    labels: Vec<String>,
    rotated: bool,
    /// Pixels below the plot kept for the labels.
    area: u32,
}

impl CategoryLabels {
    /// `labels` are drawn as given (callers shorten them with [`shorten`]).
    fn new(labels: Vec<String>, plot_width: u32) -> CategoryLabels {
        let longest = labels.iter().map(|l| l.chars().count() as u32).max().unwrap_or(0) * CHAR_WIDTH;
        let slot = plot_width / labels.len().max(1) as u32;
        let rotated = longest + 6 > slot;
        let area = if rotated { longest + 12 } else { 30 };
        CategoryLabels { labels, rotated, area }
    }

    /// Draws label `i` below the backend point `(x, y)`, turned to read downwards when the labels would
    /// not fit side by side.
    fn draw_one(&self, root: &Area<'_>, i: usize, (x, y): (i32, i32)) -> Result<()> {
        let Some(label) = self.labels.get(i) else { return Ok(()) };
        let font = (FONT, TEXT_SIZE).into_font();
        let style = if self.rotated {
            font.transform(FontTransform::Rotate90).into_text_style(root).pos(Pos::new(HPos::Left, VPos::Center))
        } else {
            font.into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top))
        };
        root.draw(&Text::new(label.clone(), (x, y + 6), style))?;
        Ok(())
    }
}

/// The height of a chart with `label_area` pixels of x labels and a legend of `entries` lines.
fn chart_height(label_area: u32, entries: usize) -> u32 {
    (HEIGHT + label_area).max(LEGEND_TOP + LEGEND_LINE * entries as u32 + 20)
}

/// A legend of coloured squares and names, top-down in `area`.
fn draw_legend(area: &Area<'_>, title: &str, entries: &[(String, RGBColor)]) -> Result<()> {
    let bold = (FONT, TEXT_SIZE + 1).into_font().style(FontStyle::Bold);
    area.draw(&Text::new(title.to_string(), (10, LEGEND_TOP as i32 - 25), bold))?;
    for (i, (name, colour)) in entries.iter().enumerate() {
        let y = (LEGEND_TOP + LEGEND_LINE * i as u32) as i32;
        area.draw(&Rectangle::new([(10, y), (24, y + 14)], colour.filled()))?;
        area.draw(&Text::new(shorten(name, 34), (32, y + 1), (FONT, TEXT_SIZE).into_font()))?;
    }
    Ok(())
}

/// The distinct values of `key` over `rows`, in order of first appearance.
fn distinct<'r, T>(rows: &'r [T], key: impl Fn(&'r T) -> &'r str) -> Vec<&'r str> {
    let mut seen = Vec::new();
    for row in rows {
        let k = key(row);
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
    seen
}

fn chart_width(categories: usize) -> u32 {
    (160 + 60 * categories as u32).clamp(560, 1500) + LEGEND_WIDTH
}

/// Theme shares per era as stacked bars, eras left to right in the rows' order, with a legend of theme
/// names (`theme_names` maps a theme to its readable name; themes not in it are shown as they are).
pub fn themes_by_era_svg(path: &Path, rows: &[EraThemeRow], theme_names: &BTreeMap<String, String>) -> Result<()> {
    let title = "Theme share per era";
    let eras = distinct(rows, |r| r.era.as_str());
    let themes = distinct(rows, |r| r.theme.as_str());
    if eras.is_empty() {
        return no_data(path, title);
    }
    let width = chart_width(eras.len());
    let era_labels: Vec<String> = eras
        .iter()
        .map(|era| {
            let docs = rows.iter().find(|r| r.era == *era).map_or(0, |r| r.docs);
            format!("{} ({docs})", shorten(era, MAX_LABEL_CHARS))
        })
        .collect();
    let labels = CategoryLabels::new(era_labels, width - LEGEND_WIDTH - 80);
    let svg = render((width, chart_height(labels.area, themes.len())), |root| {
        let (plot, legend) = root.split_horizontally(width - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, (FONT, TITLE_SIZE))
            .margin(12)
            .x_label_area_size(labels.area)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..eras.len() as f64, 0f64..1f64)?;
        chart
            .configure_mesh()
            .label_style((FONT, TEXT_SIZE))
            .axis_desc_style((FONT, TEXT_SIZE))
            .light_line_style(TRANSPARENT)
            .disable_x_mesh()
            .x_labels(0)
            .y_desc("share of the era's records")
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .draw()?;
        for (e, era) in eras.iter().enumerate() {
            let mut bottom = 0.0;
            for (t, theme) in themes.iter().enumerate() {
                let share =
                    rows.iter().find(|r| r.era == *era && r.theme == *theme).map_or(0.0, |r| r.share).clamp(0.0, 1.0);
                if share > 0.0 {
                    let x = e as f64;
                    let top = (bottom + share).min(1.0);
                    chart.draw_series([Rectangle::new([(x + 0.12, bottom), (x + 0.88, top)], colour(t).filled())])?;
                    bottom = top;
                }
            }
        }
        for (e, _) in eras.iter().enumerate() {
            let anchor = chart.backend_coord(&(e as f64 + 0.5, 0.0));
            labels.draw_one(root, e, anchor)?;
        }
        let entries: Vec<(String, RGBColor)> = themes
            .iter()
            .enumerate()
            .map(|(t, theme)| (theme_names.get(*theme).cloned().unwrap_or_else(|| theme.to_string()), colour(t)))
            .collect();
        draw_legend(&legend, "Themes", &entries)
    })?;
    write_svg(path, &svg)
}

/// Mean stance per era with its interval as whiskers, one coloured series per axis, y in [-1, 1]. Eras
/// and axes come in the rows' order; eras where an axis has no scored record show no point for it.
pub fn stance_by_era_svg(path: &Path, rows: &[EraStanceRow]) -> Result<()> {
    let title = "Mean stance per era (95% bootstrap interval)";
    let eras = distinct(rows, |r| r.era.as_str());
    let axes = distinct(rows, |r| r.axis.as_str());
    if rows.iter().all(|r| r.mean.is_none()) {
        return no_data(path, title);
    }
    let width = chart_width(eras.len());
    let era_labels: Vec<String> = eras.iter().map(|e| shorten(e, MAX_LABEL_CHARS)).collect();
    let labels = CategoryLabels::new(era_labels, width - LEGEND_WIDTH - 80);
    let svg = render((width, chart_height(labels.area, axes.len())), |root| {
        let (plot, legend) = root.split_horizontally(width - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, (FONT, TITLE_SIZE))
            .margin(12)
            .x_label_area_size(labels.area)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..eras.len() as f64, -1f64..1f64)?;
        chart
            .configure_mesh()
            .label_style((FONT, TEXT_SIZE))
            .axis_desc_style((FONT, TEXT_SIZE))
            .light_line_style(TRANSPARENT)
            .disable_x_mesh()
            .x_labels(0)
            .y_desc("mean stance")
            .draw()?;
        chart.draw_series(LineSeries::new([(0.0, 0.0), (eras.len() as f64, 0.0)], RGBColor(150, 150, 150)))?;
        let axis_count = axes.len().max(1) as f64;
        for (a, axis) in axes.iter().enumerate() {
            let style = colour(a);
            // Axes sit side by side within an era's slot so their whiskers do not hide each other.
            let offset = 0.5 + (a as f64 + 0.5 - axis_count / 2.0) * (0.6 / axis_count);
            let points: Vec<(f64, f64, f64, f64)> = eras
                .iter()
                .enumerate()
                .filter_map(|(e, era)| {
                    let row = rows.iter().find(|r| r.era == *era && r.axis == *axis)?;
                    let mean = row.mean.filter(|m| m.is_finite())?.clamp(-1.0, 1.0);
                    let low = row.ci_low.filter(|v| v.is_finite()).unwrap_or(mean).clamp(-1.0, 1.0);
                    let high = row.ci_high.filter(|v| v.is_finite()).unwrap_or(mean).clamp(-1.0, 1.0);
                    Some((e as f64 + offset, low, mean, high))
                })
                .collect();
            chart.draw_series(LineSeries::new(points.iter().map(|p| (p.0, p.2)), style.stroke_width(1)))?;
            // The bar's circle, filled, marks the mean.
            chart.draw_series(points.iter().map(|&(x, low, mean, high)| {
                ErrorBar::new_vertical(x, low, mean, high, style.filled().stroke_width(2), 10)
            }))?;
        }
        for e in 0..eras.len() {
            let anchor = chart.backend_coord(&(e as f64 + 0.5, -1.0));
            labels.draw_one(root, e, anchor)?;
        }
        let entries: Vec<(String, RGBColor)> =
            axes.iter().enumerate().map(|(a, axis)| (axis.to_string(), colour(a))).collect();
        draw_legend(&legend, "Stance axes", &entries)
    })?;
    write_svg(path, &svg)
}

/// Silhouette (left scale) and Calinski–Harabasz index (right scale) against k, one row per tried k as
/// `(k, silhouette, calinski_harabasz, chosen)`; the chosen k is ringed and named. Non-finite values are
/// left out.
pub fn k_selection_svg(path: &Path, rows: &[(usize, f64, f64, bool)]) -> Result<()> {
    let title = "Choice of the number of themes k";
    let mut rows: Vec<(usize, f64, f64, bool)> = rows.to_vec();
    rows.sort_by_key(|r| r.0);
    let silhouettes: Vec<(usize, f64)> = rows.iter().filter(|r| r.1.is_finite()).map(|r| (r.0, r.1)).collect();
    let harabasz: Vec<(usize, f64)> = rows.iter().filter(|r| r.2.is_finite()).map(|r| (r.0, r.2)).collect();
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return no_data(path, title) };
    if silhouettes.is_empty() && harabasz.is_empty() {
        return no_data(path, title);
    }
    let k_range = (first.0 as f64 - 0.5)..(last.0 as f64 + 0.5);
    let (s_low, s_high) = padded_range(silhouettes.iter().map(|p| p.1), -1.0, 1.0);
    let (h_low, h_high) = padded_range(harabasz.iter().map(|p| p.1), 0.0, f64::INFINITY);
    let silhouette_colour = colour(0);
    let harabasz_colour = colour(1);
    let chosen_colour = colour(2);
    let svg = render((760, 460), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, TITLE_SIZE))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .right_y_label_area_size(70)
            .build_cartesian_2d(k_range.clone(), s_low..s_high)?
            .set_secondary_coord(k_range.clone(), h_low..h_high);
        chart
            .configure_mesh()
            .label_style((FONT, TEXT_SIZE))
            .axis_desc_style((FONT, TEXT_SIZE))
            .light_line_style(TRANSPARENT)
            .x_desc("k")
            .x_labels(rows.len().min(20))
            .x_label_formatter(&|k| format!("{}", k.round()))
            .y_desc("silhouette")
            .draw()?;
        chart
            .configure_secondary_axes()
            .label_style((FONT, TEXT_SIZE))
            .axis_desc_style((FONT, TEXT_SIZE))
            .y_desc("Calinski–Harabasz")
            .draw()?;
        let as_x = |k: usize| k as f64;
        chart
            .draw_series(LineSeries::new(
                silhouettes.iter().map(|&(k, s)| (as_x(k), s)),
                silhouette_colour.stroke_width(2),
            ))?
            .label("silhouette")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], silhouette_colour.stroke_width(2)));
        chart
            .draw_series(silhouettes.iter().map(|&(k, s)| Circle::new((as_x(k), s), 4, silhouette_colour.filled())))?;
        chart
            .draw_secondary_series(LineSeries::new(
                harabasz.iter().map(|&(k, h)| (as_x(k), h)),
                harabasz_colour.stroke_width(2),
            ))?
            .label("Calinski–Harabasz")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], harabasz_colour.stroke_width(2)));
        for &(k, silhouette, _, chosen) in &rows {
            if chosen && silhouette.is_finite() {
                chart.draw_series([Circle::new((as_x(k), silhouette), 9, chosen_colour.stroke_width(3))])?;
                let label = Text::new(
                    format!("chosen k = {k}"),
                    (12, -12),
                    (FONT, TEXT_SIZE + 1).into_font().color(&chosen_colour).pos(Pos::new(HPos::Left, VPos::Bottom)),
                );
                chart.draw_series([EmptyElement::at((as_x(k), silhouette)) + label])?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font((FONT, TEXT_SIZE))
            .draw()?;
        Ok(())
    })?;
    write_svg(path, &svg)
}

/// The range of `values` widened by a tenth on each side (and to a nonzero width), kept within
/// `[floor, ceiling]`; `(0, 1)` when there are no values.
fn padded_range(values: impl Iterator<Item = f64>, floor: f64, ceiling: f64) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return (0.0, 1.0);
    }
    let pad = ((high - low) * 0.1).max(1e-3 * high.abs().max(1.0));
    ((low - pad).max(floor), (high + pad).min(ceiling))
}
