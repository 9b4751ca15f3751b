//! Load-time layout change: MoveNet's depthwise convolutions run channel-last.
//!
//! tract 0.23 keeps a depthwise convolution in the graph's channel-first (NCHW) layout unless the
//! CPU has a channel-last depthwise kernel registered, and x86 has none; channel-first, its
//! generic loop walks every output position once per channel, which is slow on MoveNet's small,
//! deep feature maps (960 channels of 6x6). Channel-last, the same convolution runs its
//! channel-inner path, vectorised across channels. This module asks tract's own axis-change
//! propagation (`optim::change_axes`, the pass tract runs when a kernel suggests it) to move each
//! depthwise convolution's channels last, between decluttering and optimising; the transposes it
//! needs fold into the neighbouring pointwise (1x1) convolutions, so the outputs are the same
//! numbers computed in another order (`tests/pose_model.rs` checks them against onnxruntime).

use std::collections::HashSet;

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::{AxisChange, AxisOp};
use tract_onnx::tract_core::ops::cnn::Conv;
use tract_onnx::tract_core::optim::change_axes::change_axes;

/// Below this many channels the channel-inner path cannot fill a vector register, and tract's
/// width-inner loop is as good (tract uses the same bound when it suggests the move itself).
const MIN_CHANNELS: usize = 16;

/// Upper bound on the patches tried, a guard against two layouts undoing each other forever.
/// MoveNet Lightning has 17 depthwise convolutions, Thunder the same.
const MAX_PATCHES: usize = 256;

/// The axis change that puts a depthwise convolution's channels last, if `node` is a float
/// depthwise convolution with enough channels that is still channel-first.
fn channel_last_change(node: &TypedNode) -> Option<AxisChange> {
    let conv = node.op_as::<Conv>()?;
    let depthwise = conv.group > 1 && conv.group == conv.input_channels() && conv.group == conv.output_channels();
    let format = conv.pool_spec.data_format;
    if !depthwise || conv.q_params.is_some() || conv.input_channels() < MIN_CHANNELS || format.c_is_last() {
        return None;
    }
    let rank = conv.pool_spec.rank() + 1 + usize::from(format.has_n());
    let channel_axis = usize::from(format.has_n());
    Some(AxisChange { outlet: node.inputs[0], op: AxisOp::Move(channel_axis, rank - 1) })
}

/// Moves every depthwise convolution of a decluttered model to channel-last where the graph
/// can carry the layout (the model's inputs and outputs keep theirs). Returns how many
/// convolutions are channel-last afterwards; a convolution whose move is blocked stays as it
/// was, so this never fails a model tract can run.
pub(crate) fn depthwise_channel_last(mut model: TypedModel) -> TractResult<(TypedModel, usize)> {
    let mut locked: Vec<OutletId> = model.output_outlets()?.to_vec();
    locked.extend(model.input_outlets()?.iter());
    let mut blocked: HashSet<AxisChange> = HashSet::new();
    for _ in 0..MAX_PATCHES {
        let mut patch = None;
        for node in model.nodes() {
            let Some(change) = channel_last_change(node) else { continue };
            if blocked.contains(&change) {
                continue;
            }
            let mut explored = HashSet::new();
            match change_axes(&model, &change, &locked, &[], &mut explored)? {
                Some((found, _)) => {
                    patch = Some(found);
                    break;
                }
                None => {
                    blocked.insert(change);
                }
            }
        }
        let Some(patch) = patch else { break };
        patch.apply(&mut model)?;
        model = model.into_compact()?;
        // Node numbers changed: what was blocked is asked again on the new graph.
        blocked.clear();
    }
    let moved = model
        .nodes()
        .iter()
        .filter_map(|node| node.op_as::<Conv>())
        .filter(|conv| conv.group > 1 && conv.pool_spec.data_format.c_is_last())
        .count();
    Ok((model, moved))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in model, typed and decluttered as `model::load` has it before the layout step.
    fn decluttered_lightning() -> TypedModel {
        let size = 192;
        tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(super::super::model::LIGHTNING_ONNX))
            .and_then(|model| model.with_input_fact(0, f32::fact([1, size, size, 3]).into()))
            .and_then(|model| model.into_typed())
            .and_then(|model| model.into_decluttered())
            .expect("the built-in model declutters")
    }

    fn depthwise_count(model: &TypedModel) -> (usize, usize) {
        let convs: Vec<&Conv> = model
            .nodes()
            .iter()
            .filter_map(|node| node.op_as::<Conv>())
            .filter(|conv| {
                conv.group > 1 && conv.group == conv.input_channels() && conv.input_channels() >= MIN_CHANNELS
            })
            .collect();
        let last = convs.iter().filter(|conv| conv.pool_spec.data_format.c_is_last()).count();
        (convs.len(), last)
    }

    #[test]
    fn lightnings_depthwise_convolutions_move_channel_last() {
        let model = decluttered_lightning();
        let (total, last_before) = depthwise_count(&model);
        assert!(total >= 10, "MoveNet has many depthwise convolutions, found {total}");
        assert!(last_before < total / 2, "tract alone leaves most channel-first: {last_before} of {total} are last");
        let (model, moved) = depthwise_channel_last(model).unwrap();
        let (total_after, last_after) = depthwise_count(&model);
        eprintln!("depthwise convolutions: {total}, channel-last before {last_before}, after {last_after}");
        assert_eq!(total_after, total, "no convolution is lost");
        assert_eq!(moved, last_after);
        // All 24. Before the export ran the feature pyramid's upsampling (Resize) channel-last,
        // three stayed channel-first: tract cannot carry a Resize into another layout.
        assert_eq!(last_after, total, "all {total} move; {last_after} did");
    }
}
