//! Values crossing the storage boundary, the same for SQLite and PostgreSQL, so the server's
//! queries are written once. SQL uses `$1`-style placeholders (SQLite's `?1` is derived).

use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl From<&Vec<u8>> for Value {
    fn from(v: &Vec<u8>) -> Self {
        Value::Blob(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// `vals![a, b, c]`: query parameters.
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { &[$($crate::storage::Value::from($v)),*][..] };
}

/// One result row; getters name the column index and fail with a clear error on a type
/// mismatch instead of panicking.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Value>);

fn mismatch(i: usize, want: &str, got: &Value) -> ApiError {
    ApiError::internal(format!("database: column {i} is not {want} ({got:?})"))
}

impl Row {
    fn at(&self, i: usize) -> Result<&Value, ApiError> {
        self.0
            .get(i)
            .ok_or_else(|| ApiError::internal(format!("database: no column {i}")))
    }

    pub fn int(&self, i: usize) -> Result<i64, ApiError> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(*b as i64),
            other => Err(mismatch(i, "an integer", other)),
        }
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, ApiError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, ApiError> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(mismatch(i, "a boolean", other)),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, ApiError> {
        self.opt_text(i)?
            .ok_or_else(|| mismatch(i, "text", &Value::Null))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, ApiError> {
        match self.at(i)? {
            Value::Text(s) => Ok(Some(s.clone())),
            Value::Null => Ok(None),
            other => Err(mismatch(i, "text", other)),
        }
    }

    pub fn blob(&self, i: usize) -> Result<Vec<u8>, ApiError> {
        self.opt_blob(i)?
            .ok_or_else(|| mismatch(i, "bytes", &Value::Null))
    }

    pub fn opt_blob(&self, i: usize) -> Result<Option<Vec<u8>>, ApiError> {
        match self.at(i)? {
            Value::Blob(b) => Ok(Some(b.clone())),
            Value::Null => Ok(None),
            other => Err(mismatch(i, "bytes", other)),
        }
    }
}

/// What the server's code runs statements against: a transaction or a connection, on either
/// backend.
pub trait Sql {
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ApiError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ApiError>;

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, ApiError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn query_int(&mut self, sql: &str, params: &[Value]) -> Result<i64, ApiError> {
        match self.query_opt(sql, params)? {
            Some(row) => row.int(0),
            None => Err(ApiError::internal("database: no row")),
        }
    }
}
