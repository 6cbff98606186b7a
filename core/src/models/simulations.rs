//! Simulated testing (the provider's sandbox only): `simulations.payin` answers success with
//! no details, so there is no model here. The operation is declared in `api.rs`.
