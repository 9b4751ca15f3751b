//! The pose model file: which one, where its bytes come from, and the checks that make a wrong
//! file a clear error instead of a crash.
//!
//! The default model, MoveNet Lightning, ships inside the binary (`include_bytes!`), so the app
//! needs no install step and cannot lose it. The optional precise one, Thunder (25 MB, chosen by
//! few), is a file beside the program ([`thunder_paths`]): the Debian package installs it, a
//! build from source finds it in its `models/` folder. `--model PATH` loads any other
//! MoveNet-format ONNX file. See `models/README.md` for where the files come from.

use prost::Message;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use tract_onnx::prelude::*;
use tract_onnx::tract_hir::infer::Factoid;

use super::postprocess::{OUTPUT_LEN, VALUES_PER_KEYPOINT};
use crate::pose::KEYPOINT_COUNT;

/// MoveNet SinglePose Lightning (192x192), converted by `scripts/export-models.sh`.
pub const LIGHTNING_ONNX: &[u8] = include_bytes!("../../models/movenet-lightning.onnx");
/// File name of MoveNet SinglePose Thunder (256x256), converted by `scripts/export-models.sh`.
pub const THUNDER_FILE: &str = "movenet-thunder.onnx";
/// A folder holding the optional model files; when set, the only place they are looked for.
pub const MODEL_DIR_ENV: &str = "SLOUCHWATCH_MODEL_DIR";
/// Where the Debian package puts the optional models, relative to the program's folder.
const INSTALLED_MODELS: &str = "../share/slouchwatch/models";
/// Where the Windows installer and zip put them, relative to the program's folder.
const BESIDE_MODELS: &str = "models";

/// Where the Thunder file is looked for, in order: `$SLOUCHWATCH_MODEL_DIR` alone when it is set;
/// else beside the installed program (`/usr/share/slouchwatch/models` from the Debian package,
/// `models\` in the program's folder on Windows), then the `models/` folder of the source tree
/// this program was built from (`cargo run`, `cargo install --path .`).
pub fn thunder_paths() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV) {
        return vec![PathBuf::from(dir).join(THUNDER_FILE)];
    }
    let mut paths = Vec::new();
    if let Some(bin) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(PathBuf::from)) {
        paths.push(bin.join(INSTALLED_MODELS).join(THUNDER_FILE));
        paths.push(bin.join(BESIDE_MODELS).join(THUNDER_FILE));
    }
    paths.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models").join(THUNDER_FILE));
    paths
}

/// Which pose model to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ModelChoice {
    /// Built-in MoveNet Lightning: fast, the default.
    #[default]
    Lightning,
    /// MoveNet Thunder (an installed file, [`thunder_paths`]): about 3.5x the work of Lightning,
    /// more precise keypoints.
    Thunder,
    /// A MoveNet-format ONNX file on disk.
    File(PathBuf),
}

impl FromStr for ModelChoice {
    type Err = std::convert::Infallible;

    /// `lightning` and `thunder` (any case) name the built-in models; anything else is a path
    /// (write `./thunder` for a file that happens to be called `thunder`).
    fn from_str(text: &str) -> Result<ModelChoice, Self::Err> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "lightning" => ModelChoice::Lightning,
            "thunder" => ModelChoice::Thunder,
            _ => ModelChoice::File(PathBuf::from(text)),
        })
    }
}

impl fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelChoice::Lightning => f.write_str("built-in MoveNet Lightning"),
            ModelChoice::Thunder => f.write_str("MoveNet Thunder"),
            ModelChoice::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// What MoveNet's input and output must look like; shown in errors so a user can check a file.
const EXPECTED_FORMAT: &str = "a MoveNet SinglePose ONNX model with one float32 input [1,S,S,3] \
     (NHWC, RGB 0..255) and one float32 output [1,1,17,3] (y, x, score); \
     scripts/export-models.sh makes such files";

/// A model file that cannot be used, with what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// `--model` names a file that is not there.
    #[error(
        "model file {path} does not exist: check the path given to --model, or leave --model out \
         to use the built-in Lightning model"
    )]
    Missing {
        /// The path that was looked up.
        path: PathBuf,
    },
    /// The optional Thunder model is not installed.
    #[error(
        "the precise model (MoveNet Thunder) is not installed: no {THUNDER_FILE} at {looked}. Choose the \
         fast model (Settings > Camera, or leave --model out), install the slouchwatch package, or set \
         {MODEL_DIR_ENV} to a folder holding {THUNDER_FILE}"
    )]
    ThunderMissing {
        /// The places looked at, joined.
        looked: String,
    },
    /// The file exists but cannot be read.
    #[error("cannot read model file {path}: {source}; check that it is a readable file")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why the read failed.
        source: std::io::Error,
    },
    /// The bytes are not a loadable ONNX model (truncated download, another format).
    #[error("model {model} is not a readable ONNX file ({reason}); expected {EXPECTED_FORMAT}")]
    NotOnnx {
        /// Which model.
        model: String,
        /// What the ONNX parser said.
        reason: String,
    },
    /// A valid ONNX model, but not shaped like MoveNet.
    #[error("model {model} has {what} {found}; expected {EXPECTED_FORMAT}")]
    WrongShape {
        /// Which model.
        model: String,
        /// Which part is off ("input shape", "output count", ...).
        what: &'static str,
        /// What the file has.
        found: String,
    },
    /// tract could not optimise or plan the model.
    #[error("model {model} could not be prepared for inference ({reason}); expected {EXPECTED_FORMAT}")]
    Unsupported {
        /// Which model.
        model: String,
        /// What tract said.
        reason: String,
    },
}

/// A MoveNet model ready to run, with the side of its square input.
pub(crate) struct LoadedModel {
    pub plan: Arc<TypedRunnableModel>,
    pub input_size: usize,
    /// The plan ends at the four heads ([`HEAD_OUTPUTS`]) and our code decodes them; otherwise it
    /// ends with the graph's own decoding (`[1, 1, 17, 3]`).
    pub heads: bool,
}

/// The outputs of MoveNet's four heads in graphs made by `scripts/export-models.sh`: person
/// centre, keypoint regression, keypoint heatmaps, offsets (channel-first). The graph's own
/// decoding after them is written for a 48x48 grid only; ending the plan here lets the network
/// run at other input sizes (any multiple of 32), with `postprocess::decode_heads` doing the same
/// decoding for any grid. It also skips tract running that small, branchy tail.
pub const HEAD_OUTPUTS: [&str; 4] = [
    "StatefulPartitionedCall/Sigmoid_1",
    "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd_BiasAdd__111",
    "StatefulPartitionedCall/Sigmoid",
    "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd_BiasAdd__113",
];

/// Channels of each head output, in [`HEAD_OUTPUTS`] order.
pub const HEAD_CHANNELS: [usize; 4] = [1, 2 * KEYPOINT_COUNT, KEYPOINT_COUNT, 2 * KEYPOINT_COUNT];

/// Input sizes must be multiples of this (the network's largest stride).
pub const INPUT_STRIDE: usize = 32;

/// Reads and checks the chosen model, then optimises it for this CPU.
/// How to prepare a model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Run at this square input size (a multiple of [`INPUT_STRIDE`]) instead of the model's own;
    /// needs the known head outputs.
    pub run_size: Option<usize>,
    /// Keep the graph's own decoding instead of ending at the heads (for checking that both
    /// decode alike).
    pub whole_graph: bool,
    /// Leave the depthwise convolutions channel-first, as tract alone would run them (for
    /// measuring what [`super::layout`] buys).
    pub tract_layout: bool,
    /// Run MoveNet alone, without the face mesh after it (for measuring what the mesh costs and
    /// buys).
    pub without_face: bool,
}

pub(crate) fn load(choice: &ModelChoice, options: LoadOptions) -> Result<LoadedModel, ModelError> {
    let name = choice.to_string();
    let bytes: std::borrow::Cow<'static, [u8]> = match choice {
        ModelChoice::Lightning => LIGHTNING_ONNX.into(),
        ModelChoice::Thunder => {
            let paths = thunder_paths();
            let Some(path) = paths.iter().find(|path| path.is_file()) else {
                let looked = paths.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(" or ");
                return Err(ModelError::ThunderMissing { looked });
            };
            read_model(path)?.into()
        }
        ModelChoice::File(path) => read_model(path)?.into(),
    };
    let embedded = matches!(bytes, std::borrow::Cow::Borrowed(_));
    load_bytes(&name, &bytes, options, embedded)
}

/// The bytes of a model file, or why they cannot be read.
fn read_model(path: &std::path::Path) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => ModelError::Missing { path: path.to_path_buf() },
        _ => ModelError::Unreadable { path: path.to_path_buf(), source },
    })
}

/// Loads a model; `run_size` runs it at another square input size than the one it declares (the
/// network is convolutional, so it accepts other sizes).
/// `embedded`: `bytes` are part of the program file (a built-in model), whose pages can be
/// released once parsed.
fn load_bytes(name: &str, bytes: &[u8], options: LoadOptions, embedded: bool) -> Result<LoadedModel, ModelError> {
    let not_onnx = |error: TractError| ModelError::NotOnnx { model: name.to_owned(), reason: format!("{error:#}") };
    let wrong_shape =
        |what: &'static str, found: String| ModelError::WrongShape { model: name.to_owned(), what, found };
    let unsupported =
        |error: TractError| ModelError::Unsupported { model: name.to_owned(), reason: format!("{error:#}") };

    // Decoded straight from the bytes (tract's own reader would copy them first), then the
    // built-in model's pages in the program file are released before tract makes its copies:
    // this lowers the load's memory peak by two copies of the weights.
    let proto = tract_onnx::pb::ModelProto::decode(bytes).map_err(|error| not_onnx(error.into()))?;
    if embedded {
        crate::memory::release_file_pages(bytes);
    }
    let model = tract_onnx::onnx().model_for_proto_model(&proto).map_err(not_onnx)?;
    drop(proto);

    let inputs = model.input_outlets().map_err(not_onnx)?.len();
    if inputs != 1 {
        return Err(wrong_shape("input count", inputs.to_string()));
    }
    let outputs = model.output_outlets().map_err(not_onnx)?.len();
    if outputs != 1 {
        return Err(wrong_shape("output count", outputs.to_string()));
    }

    let input_fact = model.input_fact(0).map_err(not_onnx)?;
    if let Some(datum_type) = input_fact.datum_type.concretize()
        && datum_type != f32::datum_type()
    {
        return Err(wrong_shape("input type", format!("{datum_type:?}")));
    }
    let input_shape = input_fact.shape.as_concrete_finite().ok().flatten();
    let input_size = match input_shape.as_deref() {
        Some(&[1, height, width, 3]) if height == width && height > 0 => height,
        Some(dims) => return Err(wrong_shape("input shape", format!("{dims:?}"))),
        None => {
            return Err(wrong_shape("input shape", format!("{:?} (not fixed)", input_fact.shape)));
        }
    };

    // Graphs with the known head nodes are cut after them; any other MoveNet-format graph runs
    // whole, at its own size.
    let head_ids: Option<Vec<usize>> = HEAD_OUTPUTS
        .iter()
        .map(|name| model.node_by_name(name).ok().map(|node| node.id))
        .collect::<Option<Vec<usize>>>()
        .filter(|_| !options.whole_graph);
    let heads = head_ids.is_some();
    let input_size = match (options.run_size, heads) {
        (Some(size), true) if size > 0 && size % INPUT_STRIDE == 0 => size,
        (Some(size), _) if size != input_size => {
            return Err(wrong_shape(
                "run size",
                format!("{size} (needs a multiple of {INPUT_STRIDE} and head outputs)"),
            ));
        }
        _ => input_size,
    };
    let mut model = model;
    if let Some(ids) = head_ids {
        let outlets: Vec<OutletId> = ids.into_iter().map(|id| OutletId::new(id, 0)).collect();
        // Drop the 48x48 decoding tail, so it is not analysed at other sizes.
        model = model
            .with_output_outlets(&outlets)
            .and_then(|model| model.eliminate_dead_branches())
            .map_err(unsupported)?;
    }
    let decluttered = model
        .with_input_fact(0, InferenceFact::dt_shape(f32::datum_type(), tvec!(1, input_size, input_size, 3)))
        .and_then(|model| model.into_typed())
        .and_then(|model| model.into_decluttered())
        .map_err(unsupported)?;
    // The layout step is a speed-up only: a graph it cannot handle runs as tract lays it out.
    // It works on a copy (the weights are shared, not copied).
    let decluttered = if options.tract_layout {
        decluttered
    } else {
        match super::layout::depthwise_channel_last(decluttered.clone()) {
            Ok((model, moved)) => {
                tracing::debug!(model = name, moved, "depthwise convolutions run channel-last");
                // Dropped now, not at the end of the function: it would keep the weights it
                // shares alive while the optimiser makes their packed copies.
                drop(decluttered);
                model
            }
            Err(error) => {
                tracing::warn!(model = name, "depthwise convolutions stay channel-first (slower): {error:#}");
                decluttered
            }
        }
    };
    let typed = decluttered.into_optimized().map_err(unsupported)?;
    if heads {
        let grid = input_size / 4;
        for (index, channels) in HEAD_CHANNELS.iter().enumerate() {
            let fact = typed.output_fact(index).map_err(unsupported)?;
            let expected = [1, *channels, grid, grid];
            if fact.shape.as_concrete() != Some(&expected[..]) || fact.datum_type != f32::datum_type() {
                return Err(wrong_shape("head output shape", format!("{:?}", fact.shape)));
            }
        }
        let plan = typed.into_runnable().map_err(unsupported)?;
        return Ok(LoadedModel { plan, input_size, heads });
    }
    let output_fact = typed.output_fact(0).map_err(unsupported)?;
    let expected_output = [1, 1, KEYPOINT_COUNT, VALUES_PER_KEYPOINT];
    match output_fact.shape.as_concrete() {
        Some(dims) if dims == expected_output => {}
        Some(dims) => return Err(wrong_shape("output shape", format!("{dims:?}"))),
        None => {
            return Err(wrong_shape("output shape", format!("{:?} (not fixed)", output_fact.shape)));
        }
    }
    if output_fact.datum_type != f32::datum_type() {
        return Err(wrong_shape("output type", format!("{:?}", output_fact.datum_type)));
    }
    debug_assert_eq!(expected_output.iter().product::<usize>(), OUTPUT_LEN);

    let plan = typed.into_runnable().map_err(unsupported)?;
    Ok(LoadedModel { plan, input_size, heads })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_choice_parses_names_and_paths() {
        assert_eq!("lightning".parse::<ModelChoice>().unwrap(), ModelChoice::Lightning);
        assert_eq!("Thunder".parse::<ModelChoice>().unwrap(), ModelChoice::Thunder);
        assert_eq!("./thunder".parse::<ModelChoice>().unwrap(), ModelChoice::File(PathBuf::from("./thunder")));
    }

    #[test]
    fn garbage_bytes_are_not_onnx() {
        let error = load_bytes("junk.onnx", b"this is not a model", LoadOptions::default(), false).err().unwrap();
        assert!(matches!(error, ModelError::NotOnnx { .. }), "{error}");
        assert!(error.to_string().contains("junk.onnx"));
    }

    #[test]
    fn truncated_model_is_a_clear_error() {
        let half = &LIGHTNING_ONNX[..LIGHTNING_ONNX.len() / 2];
        let error = load_bytes("half.onnx", half, LoadOptions::default(), false).err().unwrap();
        assert!(matches!(error, ModelError::NotOnnx { .. } | ModelError::Unsupported { .. }), "{error}");
        assert!(error.to_string().contains("half.onnx"));
        assert!(error.to_string().contains("[1,1,17,3]"));
    }
}
