"""The examples ``gnbv --help`` shows — the same lines as the README's command block.

Every line names its database with ``--db`` so nothing copied from here touches the official's
real data by accident, and the lines run in this order against a new folder
(tests/cli/test_examples.py runs them all and compares them with the README).
"""

EXAMPLES = """\
gnbv --db xa.sqlite3 init --commune-name "Xã Ia Grai" --province "Gia Lai" \\
     --village "Thôn 1" --village "Tổ dân phố 2:urban"
gnbv --db mau.sqlite3 demo --households 200 --seed 1 --year 2026   # xã mẫu trong tệp riêng; --replace để làm lại
gnbv --db mau.sqlite3 export-excel danhsach.xlsx --year 2026

# Danh sách hộ, chuẩn nghèo, thống kê
gnbv --db xa.sqlite3 import-excel danhsach.xlsx --year 2026 --dry-run   # chỉ kiểm tra, không ghi gì
gnbv --db xa.sqlite3 import-excel danhsach.xlsx --year 2026   # thêm --sheet TÊN, --mapping MẪU.json, --skip-invalid khi cần
gnbv --db xa.sqlite3 export-excel ds.xlsx --year 2026
gnbv --db xa.sqlite3 standards --json
gnbv --db xa.sqlite3 classify --year 2026 --area rural --income 1200000 --deprived 1.1,2.2,3.1
gnbv --db xa.sqlite3 stats --year 2026 --json
gnbv --db xa.sqlite3 list --year 2026 --village "Thôn 1" --classification poor --json
gnbv --db xa.sqlite3 carry-forward --from 2026 --to 2027   # bắt đầu danh sách năm mới từ năm trước

# Rà soát cuối năm, hộ dân cư, biểu tổng hợp
gnbv --db xa.sqlite3 residents --year 2026 --village "Thôn 1" --households 420 --people 1650   # mẫu số của tỷ lệ hộ nghèo
gnbv --db mau.sqlite3 review close --year 2026 --decision-number 125/QĐ-UBND --decision-date 20/12/2026
gnbv --db mau.sqlite3 report ketqua.pdf --year 2026 --form ket-qua  # hoặc dien-bien, thieu-hut, dan-toc, doi-tuong, thoat-ngheo
gnbv --db mau.sqlite3 report dinhky.xlsx --year 2026 --form dinh-ky --period 12m
gnbv --db mau.sqlite3 review start --year 2027   # chuyển các hộ sang năm mới, đánh dấu chưa rà soát

# Kế hoạch, người giúp đỡ, in ấn
gnbv --db xa.sqlite3 helper-add "Hội Cựu chiến binh xã"
gnbv --db xa.sqlite3 helper-add "Nguyễn Văn B" --person --position "Cán bộ LĐ-TB&XH"
gnbv --db xa.sqlite3 helpers --year 2026 --json
gnbv --db xa.sqlite3 assign --helper "Hội Cựu chiến binh xã" --unassisted --year 2026   # hoặc --household MÃ_HỘ
gnbv --db xa.sqlite3 suggest 00012 --year 2026 --json   # giải pháp gợi ý cho một hộ
gnbv --db xa.sqlite3 plan-set --year 2026 --number 12/KH-UBND --date 05/01/2026 --signer "Nguyễn Văn Hùng" --target-escape 12
gnbv --db xa.sqlite3 plan --year 2026 --json
gnbv --db xa.sqlite3 annex phuluc.pdf --year 2026 --village "Thôn 1"   # hoặc phuluc.xlsx
gnbv --db xa.sqlite3 sheets phieu.pdf --year 2026
gnbv --db xa.sqlite3 posting niemyet.pdf --year 2026

# Đồng bộ với cấp trên (--password-file TỆP để mã hóa gói)
gnbv --db xa.sqlite3 sync-export goi.gnbv --full --year 2026 --password-file matkhau.txt
gnbv --db xa.sqlite3 sync-status
gnbv --db tonghop.sqlite3 sync-import goi.gnbv --password-file matkhau.txt   # tệp chưa có thì tạo cơ sở dữ liệu cấp trên
gnbv --db tonghop.sqlite3 sync-status --json
gnbv --db tonghop.sqlite3 stats --year 2026 --json   # tổng và by_commune
gnbv --db tonghop.sqlite3 ref-export thamchieu.gnbvref --year 2026
gnbv --db xa.sqlite3 ref-import thamchieu.gnbvref
"""
